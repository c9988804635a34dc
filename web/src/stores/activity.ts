/** The live activity feed: the newest socket `activity` events, newest first, bounded. */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ActivityEvent } from '../api/types';

export const ACTIVITY_LIMIT = 100;

export const useActivityStore = defineStore('activity', () => {
  const items = shallowRef<readonly ActivityEvent[]>([]);

  /** Takes events oldest first (arrival order). */
  function push(events: readonly ActivityEvent[]): void {
    if (events.length === 0) return;
    items.value = [...events].reverse().concat(items.value).slice(0, ACTIVITY_LIMIT);
  }

  function reset(): void {
    items.value = [];
  }

  return { items, push, reset };
});
