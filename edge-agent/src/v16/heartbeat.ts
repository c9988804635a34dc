/** 1.6 Heartbeat (§4.6): the CSMS time, and a heartbeat event for liveness tracking. */
import type { Handler16 } from './types.js';

export const heartbeat: Handler16<'Heartbeat'> = (_req, ctx) => {
  const now = ctx.clock.now().toISOString();
  return { res: { currentTime: now }, events: [{ occurredAt: now, event: { type: 'station.heartbeat' } }] };
};
