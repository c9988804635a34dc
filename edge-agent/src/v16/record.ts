/** A charger message kept verbatim (no normalized meaning), timed by the edge clock. */
import type { HandlerContext, NewEvent } from '../handler-types.js';

export function recordEvent(action: string, payload: unknown, ctx: HandlerContext): NewEvent {
  return { occurredAt: ctx.clock.now().toISOString(), event: { type: 'station.record', action, payload } };
}
