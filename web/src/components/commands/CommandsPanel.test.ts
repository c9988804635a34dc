import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { Command, CommandResult, Role, SettingValue } from '../../api/types';
import { useAuthStore } from '../../stores/auth';
import { useUiStore } from '../../stores/ui';
import { fakeApi, harness } from '../../testing/fixtures';
import CommandsPanel from './CommandsPanel.vue';
import ConfigurationPanel from './ConfigurationPanel.vue';

const connectors = [
  {
    evseId: 1,
    connectorId: 1,
    status: 'available' as const,
    rawStatus: 'Available',
    errorCode: null,
    statusAt: null,
  },
];

const result = (outcome: CommandResult['outcome'], extra: Partial<CommandResult> = {}): CommandResult => ({
  id: '00000000-0000-4000-8000-000000000001',
  outcome,
  detail: outcome === 'accepted' ? null : `station said ${outcome}`,
  settings: null,
  data: null,
  durationMs: 12,
  ...extra,
});

function setUp(role: Role, methods: Partial<ApiClient>) {
  const h = harness(
    fakeApi({
      listCommands: () => Promise.resolve({ items: [], total: 0, limit: 10, offset: 0 }),
      activeTransactions: () => Promise.resolve({ items: [] }),
      ...methods,
    }),
  );
  useAuthStore().user = {
    id: 'u',
    email: 'u@test',
    name: 'U',
    role,
    tenantId: 't',
    tenantName: 'T',
  };
  return h;
}

/** A promise the test resolves by hand, to look at the UI while the station is "thinking". */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('CommandsPanel', () => {
  it('asks for confirmation, shows progress, then the result, a toast and the recent list', async () => {
    const sent: Command[] = [];
    const reply = deferred<CommandResult>();
    const h = setUp('operator', {
      sendCommand: (_id, command) => {
        sent.push(command);
        return reply.promise;
      },
    });
    const wrapper = mount(CommandsPanel, {
      props: { stationId: 'st-1', connectors, online: true },
      global: h.global,
      attachTo: document.body,
    });
    await flushPromises();

    await wrapper.get('[data-testid="command-remote_start"]').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.attributes('aria-modal')).toBe('true');
    // Nothing is sent until the user confirms, and the RFID tag is required.
    expect(sent).toEqual([]);
    expect(wrapper.get('[data-testid="command-confirm"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="command-id-tag"]').setValue('RFID-42');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(sent).toEqual([{ type: 'remote_start', evseId: 1, idToken: { id: 'RFID-42', type: 'ISO14443' } }]);
    expect(wrapper.find('[data-testid="command-progress"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="command-confirm"]').attributes('disabled')).toBeDefined();

    reply.resolve(result('rejected'));
    await flushPromises();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    const shown = wrapper.get('[data-testid="command-result"]');
    expect(shown.attributes('data-outcome')).toBe('rejected');
    expect(shown.text()).toContain('Rejected');
    expect(shown.text()).toContain('station said rejected');
    expect(useUiStore().toasts.map((t) => [t.kind, t.messageKey])).toEqual([
      ['error', 'commands.toast.rejected'],
    ]);
    expect(wrapper.get('[data-testid="command-recent"]').text()).toContain('remote_start');
  });

  it('closes on Escape without sending, and keeps Tab focus inside the dialog', async () => {
    const sent: Command[] = [];
    const h = setUp('technician', {
      sendCommand: (_id, c) => {
        sent.push(c);
        return Promise.resolve(result('accepted'));
      },
    });
    const wrapper = mount(CommandsPanel, {
      props: { stationId: 'st-1', connectors, online: true },
      global: h.global,
      attachTo: document.body,
    });
    await wrapper.get('[data-testid="command-reset"]').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role="dialog"]');
    const buttons = dialog.findAll('button');
    const last = buttons[buttons.length - 1]!;
    (last.element as HTMLElement).focus();
    await dialog.trigger('keydown', { key: 'Tab' });
    expect(dialog.element.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(last.element);

    await dialog.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(sent).toEqual([]);

    await wrapper.get('[data-testid="command-reset"]').trigger('click');
    await flushPromises();
    await wrapper.get('input[value="hard"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sent).toEqual([{ type: 'reset', kind: 'hard' }]);
    expect(wrapper.get('[data-testid="command-result"]').attributes('data-outcome')).toBe('accepted');
    expect(useUiStore().toasts[0]).toMatchObject({ kind: 'info', messageKey: 'commands.toast.accepted' });
  });

  it('offers the active transactions for a remote stop', async () => {
    const sent: Command[] = [];
    const h = setUp('admin', {
      activeTransactions: () =>
        Promise.resolve({
          items: [
            {
              sessionId: 's',
              transactionId: 'TX-9',
              evseId: 1,
              connectorId: 1,
              idToken: 'TAG',
              startedAt: null,
            },
          ],
        }),
      sendCommand: (_id, c) => {
        sent.push(c);
        return Promise.resolve(result('offline'));
      },
    });
    const wrapper = mount(CommandsPanel, {
      props: { stationId: 'st-1', connectors, online: false },
      global: h.global,
      attachTo: document.body,
    });
    await wrapper.get('[data-testid="command-remote_stop"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="command-transaction"]').exists()).toBe(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sent).toEqual([{ type: 'remote_stop', transactionId: 'TX-9' }]);
    expect(wrapper.get('[data-testid="command-result"]').attributes('data-outcome')).toBe('offline');
  });

  it.each(['analyst', 'viewer'] as const)('is hidden for the %s role', async (role) => {
    const h = setUp(role, {});
    const wrapper = mount(CommandsPanel, {
      props: { stationId: 'st-1', connectors, online: true },
      global: h.global,
    });
    const config = mount(ConfigurationPanel, { props: { stationId: 'st-1' }, global: h.global });
    await flushPromises();
    expect(wrapper.find('[data-testid^="command-"]').exists()).toBe(false);
    expect(config.find('[data-testid="command-get_configuration"]').exists()).toBe(false);
  });
});

describe('ConfigurationPanel', () => {
  const setting = (variable: string, value: string, readonly = false): SettingValue => ({
    setting: { component: null, componentInstance: null, evseId: null, variable, variableInstance: null },
    value,
    readonly,
    status: 'accepted',
  });

  it('reads the configuration into a table and changes one value', async () => {
    const sent: Command[] = [];
    const h = setUp('operator', {
      sendCommand: (_id, c) => {
        sent.push(c);
        return Promise.resolve(
          c.type === 'get_configuration'
            ? result('accepted', {
                settings: [setting('HeartbeatInterval', '60'), setting('NumberOfConnectors', '1', true)],
              })
            : result('accepted'),
        );
      },
    });
    const wrapper = mount(ConfigurationPanel, {
      props: { stationId: 'st-1' },
      global: h.global,
      attachTo: document.body,
    });
    await wrapper.get('[data-testid="command-get_configuration"]').trigger('click');
    await flushPromises();
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sent).toEqual([{ type: 'get_configuration', settings: [] }]);
    const table = wrapper.get('[data-testid="config-table"]');
    expect(table.findAll('[data-testid="config-row"]')).toHaveLength(2);
    expect(table.text()).toContain('HeartbeatInterval');
    // Read-only settings cannot be edited.
    expect(table.findAll('[data-testid="config-edit"]')).toHaveLength(1);

    await table.get('[data-testid="config-edit"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="config-value"]').setValue('300');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sent[1]).toEqual({
      type: 'change_configuration',
      setting: setting('HeartbeatInterval', '').setting,
      value: '300',
    });
    expect(wrapper.get('[data-testid="config-table"]').text()).toContain('300');
    expect(wrapper.get('[data-testid="config-change-result"]').attributes('data-outcome')).toBe('accepted');
  });
});
