/** The live activity feed: the newest socket `activity` events, newest first, bounded. */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ActivityEvent } from '../api/types';

export const ACTIVITY_LIMIT = 100;

/** An event plus its arrival number: a stable list key, so new rows are the only ones rendered. */
export interface FeedItem extends ActivityEvent {
  seq: number;
}

export const useActivityStore = defineStore('activity', () => {
  const items = shallowRef<readonly FeedItem[]>([]);
  let nextSeq = 1;

  /** Takes events oldest first (arrival order). */
  function push(events: readonly ActivityEvent[]): void {
    if (events.length === 0) return;
    const arrived = events.map((event) => ({ ...event, seq: nextSeq++ })).reverse();
    items.value = arrived.concat(items.value).slice(0, ACTIVITY_LIMIT);
  }

  function reset(): void {
    items.value = [];
  }

  return { items, push, reset };
});
