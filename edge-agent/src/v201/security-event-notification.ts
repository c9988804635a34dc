/** 2.0.1 SecurityEventNotification (A04): timed by the charger's timestamp. */
import { normaliseTimestamp } from '@voltmesh/ocpp';
import type { Handler201 } from './types.js';

export const securityEventNotification: Handler201<'SecurityEventNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: normaliseTimestamp(req.timestamp, ctx.clock.now()),
      event: { type: 'security.event', eventType: req.type, techInfo: req.techInfo ?? null },
    },
  ],
});
