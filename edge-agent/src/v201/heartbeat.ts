/** 2.0.1 Heartbeat (G02): the CSMS time, and a heartbeat event for liveness tracking. */
import type { Handler201 } from './types.js';

export const heartbeat: Handler201<'Heartbeat'> = (_req, ctx) => {
  const now = ctx.clock.now().toISOString();
  return { res: { currentTime: now }, events: [{ occurredAt: now, event: { type: 'station.heartbeat' } }] };
};
