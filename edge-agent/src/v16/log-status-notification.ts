/**
 * 1.6 Security Whitepaper LogStatusNotification. GetLog is the whitepaper's replacement for
 * GetDiagnostics, so its upload status is a diagnostics.status event (with the request id).
 */
import type { Handler16 } from './types.js';

export const logStatusNotification: Handler16<'LogStatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'diagnostics.status', status: req.status, requestId: req.requestId ?? null },
    },
  ],
});
