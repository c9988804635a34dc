/**
 * The signed-in user's alert inbox (the bell), the toasts of notifications that just arrived, and
 * live incident updates handed to whichever page listens (the incidents page). Fed by
 * `notification:new` and `incident:update` over Socket.IO (components/alerts/useAlertsLive.ts).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { InboxItem, Incident } from '../api/types';
import { useFeatureApi } from '../components/alerts/feature-api';

/** Items kept in the bell's list; older ones are on the incidents page. */
export const INBOX_LIMIT = 20;
/** How long a toast stays unless closed. */
export const TOAST_MS = 10_000;

export const useAlertsStore = defineStore('alerts', () => {
  const api = useFeatureApi();
  const inbox = shallowRef<readonly InboxItem[]>([]);
  const unread = ref(0);
  const toasts = shallowRef<readonly InboxItem[]>([]);
  const listeners = new Set<(incident: Incident) => void>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  async function loadInbox(): Promise<void> {
    const page = await api.inbox({ limit: INBOX_LIMIT });
    inbox.value = page.items;
    unread.value = page.unread;
  }

  function dismissToast(id: string): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function receiveNotification(item: InboxItem): void {
    if (inbox.value.some((i) => i.id === item.id)) return;
    inbox.value = [item, ...inbox.value].slice(0, INBOX_LIMIT);
    if (item.readAt === null) unread.value += 1;
    toasts.value = [...toasts.value, item];
    timers.set(
      item.id,
      setTimeout(() => dismissToast(item.id), TOAST_MS),
    );
  }

  function receiveIncident(incident: Incident): void {
    for (const listener of listeners) listener(incident);
  }

  /** Calls `listener` with every incident update until the returned function is called. */
  function onIncident(listener: (incident: Incident) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function markRead(ids: readonly string[] | 'all'): Promise<void> {
    const result = await api.markRead(ids === 'all' ? { all: true } : { ids: [...ids] });
    const now = new Date().toISOString();
    inbox.value = inbox.value.map((i) =>
      i.readAt === null && (ids === 'all' || ids.includes(i.id)) ? { ...i, readAt: now } : i,
    );
    unread.value = result.unread;
  }

  function reset(): void {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    inbox.value = [];
    toasts.value = [];
    unread.value = 0;
  }

  return {
    inbox,
    unread,
    toasts,
    loadInbox,
    receiveNotification,
    receiveIncident,
    onIncident,
    markRead,
    dismissToast,
    reset,
  };
});
