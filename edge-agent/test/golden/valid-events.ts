/** Checks handler output against the contract's zod schema, so tests catch events the outbox would refuse. */
import { StationEvent } from '@voltmesh/contract';
import { expect } from 'vitest';
import type { NewEvent } from '../../src/handler-types.js';

export function expectValidEvents(events: readonly NewEvent[]): void {
  for (const { occurredAt, event } of events) {
    expect(Number.isFinite(Date.parse(occurredAt)), occurredAt).toBe(true);
    const parsed = StationEvent.safeParse(event);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  }
}
