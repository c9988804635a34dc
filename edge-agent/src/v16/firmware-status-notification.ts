/** 1.6 FirmwareStatusNotification (§4.5); the raw status string is the normalized status. */
import type { Handler16 } from './types.js';

export const firmwareStatusNotification: Handler16<'FirmwareStatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'firmware.status', status: req.status, requestId: null },
    },
  ],
});
