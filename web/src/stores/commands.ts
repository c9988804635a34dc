/**
 * Remote commands from the dashboard: sends one command at a time per station, keeps the recent
 * results per station (the server's history merged with what this tab sent) and tells the user the
 * outcome with a toast. A rejected/offline/timeout outcome is a result, not an error.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useApi } from '../api/inject';
import { isApiError } from '../api/errors';
import type { Command, CommandHistoryItem, CommandOutcome, CommandResult } from '../api/types';
import { useUiStore } from './ui';

const RECENT_LIMIT = 10;

export type SendOutcome = { ok: true; result: CommandResult } | { ok: false; code: string };

export const useCommandsStore = defineStore('commands', () => {
  const api = useApi();
  const ui = useUiStore();
  /** Recent commands per station id, newest first. */
  const recent = ref<Record<string, CommandHistoryItem[]>>({});
  /** The station ids with a command in flight. */
  const pending = ref<Record<string, boolean>>({});

  async function loadRecent(stationId: string): Promise<void> {
    const page = await api.listCommands(stationId, { limit: RECENT_LIMIT });
    recent.value = { ...recent.value, [stationId]: page.items };
  }

  function remember(stationId: string, command: Command, result: CommandResult): void {
    const item: CommandHistoryItem = {
      id: result.id,
      type: command.type,
      command: { ...command },
      outcome: result.outcome,
      detail: result.detail,
      userEmail: '',
      requestedAt: new Date().toISOString(),
      durationMs: result.durationMs,
    };
    const list = (recent.value[stationId] ?? []).filter((c) => c.id !== result.id);
    recent.value = { ...recent.value, [stationId]: [item, ...list].slice(0, RECENT_LIMIT) };
  }

  async function send(stationId: string, command: Command): Promise<SendOutcome> {
    if (pending.value[stationId]) return { ok: false, code: 'commands.busy' };
    pending.value = { ...pending.value, [stationId]: true };
    try {
      const result = await api.sendCommand(stationId, command);
      remember(stationId, command, result);
      ui.notify(OK_OUTCOMES.has(result.outcome) ? 'info' : 'error', `commands.toast.${result.outcome}`);
      return { ok: true, result };
    } catch (error) {
      const code = isApiError(error) ? error.code : 'unknown';
      ui.notify('error', code === 'auth.forbidden' ? 'commands.toast.forbidden' : 'commands.toast.failed');
      return { ok: false, code };
    } finally {
      pending.value = { ...pending.value, [stationId]: false };
    }
  }

  return { recent, pending, loadRecent, send };
});

const OK_OUTCOMES: ReadonlySet<CommandOutcome> = new Set(['accepted', 'scheduled']);
