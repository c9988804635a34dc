/** 1.6 DiagnosticsStatusNotification (§4.4); 1.6 diagnostics uploads carry no request id. */
import type { Handler16 } from './types.js';

export const diagnosticsStatusNotification: Handler16<'DiagnosticsStatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'diagnostics.status', status: req.status, requestId: null },
    },
  ],
});
