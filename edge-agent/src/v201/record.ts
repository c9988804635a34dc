/**
 * Messages the normalized model has no meaning for (reports, monitoring, charging limits,
 * certificates) are answered per spec and kept verbatim as a station.record, timed by the edge clock.
 */
import type { Actions201, Response201 } from '@voltmesh/ocpp/v201';
import type { HandlerContext, NewEvent } from '../handler-types.js';
import type { Handler201 } from './types.js';

export function recordEvent(action: string, payload: unknown, ctx: HandlerContext): NewEvent {
  return { occurredAt: ctx.clock.now().toISOString(), event: { type: 'station.record', action, payload } };
}

/** A handler that answers with a fixed, spec-correct reply and records the request. */
export function recordOnly<A extends keyof Actions201>(action: A, res: Response201<A>): Handler201<A> {
  return (req, ctx) => ({ res, events: [recordEvent(action, req, ctx)] });
}
