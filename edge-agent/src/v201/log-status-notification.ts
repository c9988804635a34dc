/** 2.0.1 LogStatusNotification (N01): log uploads are 2.0.1's diagnostics, so diagnostics.status. */
import type { Handler201 } from './types.js';

export const logStatusNotification: Handler201<'LogStatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'diagnostics.status', status: req.status, requestId: req.requestId ?? null },
    },
  ],
});
