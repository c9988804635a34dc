import type { Command, SettingRef } from '@voltmesh/contract';
import { describe, expect, it } from 'vitest';
import { commands16 } from './commands.js';

const key = (variable: string): SettingRef => ({
  component: null,
  componentInstance: null,
  evseId: null,
  variable,
  variableInstance: null,
});
const token = { id: 'TAG1', type: 'ISO14443' };

describe('1.6 command encoding', () => {
  it.each<[Command, unknown]>([
    [
      { type: 'remote_start', evseId: 2, idToken: token },
      { action: 'RemoteStartTransaction', payload: { idTag: 'TAG1', connectorId: 2 } },
    ],
    [
      { type: 'remote_start', evseId: null, idToken: token },
      { action: 'RemoteStartTransaction', payload: { idTag: 'TAG1' } },
    ],
    [
      { type: 'remote_stop', transactionId: '42' },
      { action: 'RemoteStopTransaction', payload: { transactionId: 42 } },
    ],
    [
      { type: 'reset', kind: 'hard' },
      { action: 'Reset', payload: { type: 'Hard' } },
    ],
    [
      { type: 'reset', kind: 'soft' },
      { action: 'Reset', payload: { type: 'Soft' } },
    ],
    [
      { type: 'unlock_connector', evseId: 3, connectorId: 1 },
      { action: 'UnlockConnector', payload: { connectorId: 3 } },
    ],
    [
      { type: 'change_availability', evseId: 0, operative: false },
      { action: 'ChangeAvailability', payload: { connectorId: 0, type: 'Inoperative' } },
    ],
    [
      { type: 'get_configuration', settings: [] },
      { action: 'GetConfiguration', payload: {} },
    ],
    [
      { type: 'get_configuration', settings: [key('HeartbeatInterval')] },
      { action: 'GetConfiguration', payload: { key: ['HeartbeatInterval'] } },
    ],
    [
      { type: 'change_configuration', setting: key('MeterValueSampleInterval'), value: '60' },
      { action: 'ChangeConfiguration', payload: { key: 'MeterValueSampleInterval', value: '60' } },
    ],
    [
      { type: 'trigger_message', message: 'status_notification', evseId: 1 },
      { action: 'TriggerMessage', payload: { requestedMessage: 'StatusNotification', connectorId: 1 } },
    ],
    [
      { type: 'trigger_message', message: 'diagnostics_status', evseId: null },
      { action: 'TriggerMessage', payload: { requestedMessage: 'DiagnosticsStatusNotification' } },
    ],
    [{ type: 'clear_cache' }, { action: 'ClearCache', payload: {} }],
    [
      { type: 'data_transfer', vendorId: 'com.acme', messageId: null, data: 'x' },
      { action: 'DataTransfer', payload: { vendorId: 'com.acme', data: 'x' } },
    ],
  ])('%j', (command, expected) => {
    expect(commands16.encode(command)).toEqual(expected);
  });

  it.each<Command>([
    { type: 'remote_start', evseId: 0, idToken: token },
    { type: 'remote_start', evseId: 1, idToken: { id: 'X'.repeat(21), type: 'ISO14443' } },
    { type: 'remote_stop', transactionId: 'abc-uuid' },
    { type: 'unlock_connector', evseId: 1, connectorId: 2 },
    { type: 'unlock_connector', evseId: 0, connectorId: 0 },
    { type: 'get_configuration', settings: [{ ...key('Enabled'), component: 'OCPPCommCtrlr' }] },
    { type: 'change_configuration', setting: key('K'), value: 'v'.repeat(501) },
  ])('cannot express %j', (command) => {
    expect(commands16.encode(command)).toEqual({ unsupported: expect.any(String) });
  });
});

describe('1.6 reply decoding', () => {
  const none = { settings: null, data: null };

  it('maps status words per command', () => {
    expect(commands16.decode({ type: 'reset', kind: 'soft' }, { status: 'Accepted' })).toEqual({
      outcome: 'accepted',
      detail: null,
      ...none,
    });
    expect(commands16.decode({ type: 'clear_cache' }, { status: 'Rejected' })).toEqual({
      outcome: 'rejected',
      detail: 'station answered Rejected',
      ...none,
    });
    expect(
      commands16.decode({ type: 'change_availability', evseId: 1, operative: true }, { status: 'Scheduled' })
        .outcome,
    ).toBe('scheduled');
    expect(
      commands16.decode({ type: 'unlock_connector', evseId: 1, connectorId: 1 }, { status: 'NotSupported' })
        .outcome,
    ).toBe('not_supported');
    expect(
      commands16.decode(
        { type: 'change_configuration', setting: key('K'), value: '1' },
        { status: 'RebootRequired' },
      ).outcome,
    ).toBe('scheduled');
    expect(
      commands16.decode(
        { type: 'trigger_message', message: 'heartbeat', evseId: null },
        { status: 'NotImplemented' },
      ).outcome,
    ).toBe('not_supported');
  });

  it('returns data transfer data and maps unknown vendor to not_supported', () => {
    const command: Command = { type: 'data_transfer', vendorId: 'v', messageId: null, data: null };
    expect(commands16.decode(command, { status: 'Accepted', data: 'pong' })).toEqual({
      outcome: 'accepted',
      detail: null,
      settings: null,
      data: 'pong',
    });
    expect(commands16.decode(command, { status: 'UnknownVendorId' }).outcome).toBe('not_supported');
  });

  it('reads configuration keys and unknown keys', () => {
    const decoded = commands16.decode(
      { type: 'get_configuration', settings: [] },
      {
        configurationKey: [
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'NumberOfConnectors', readonly: true },
        ],
        unknownKey: ['Nope'],
      },
    );
    expect(decoded.outcome).toBe('accepted');
    expect(decoded.settings).toEqual([
      { setting: key('HeartbeatInterval'), value: '300', readonly: false, status: 'accepted' },
      { setting: key('NumberOfConnectors'), value: null, readonly: true, status: 'accepted' },
      { setting: key('Nope'), value: null, readonly: null, status: 'unknown_variable' },
    ]);
  });

  it('reports malformed replies and unknown statuses as errors, without throwing', () => {
    expect(commands16.decode({ type: 'clear_cache' }, null)).toEqual({
      outcome: 'error',
      detail: 'reply has no status',
      ...none,
    });
    expect(commands16.decode({ type: 'clear_cache' }, { status: 'Maybe' })).toEqual({
      outcome: 'error',
      detail: 'unexpected status Maybe',
      ...none,
    });
    expect(commands16.decode({ type: 'get_configuration', settings: [] }, 'garbage').settings).toEqual([]);
  });
});
