/** 1.6 Security Whitepaper SecurityEventNotification: timed by the charger's timestamp. */
import { normaliseTimestamp } from '@voltmesh/ocpp';
import type { Handler16 } from './types.js';

export const securityEventNotification: Handler16<'SecurityEventNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: normaliseTimestamp(req.timestamp, ctx.clock.now()),
      event: { type: 'security.event', eventType: req.type, techInfo: req.techInfo ?? null },
    },
  ],
});
