/** 2.0.1 FirmwareStatusNotification (L01): firmware.status with the UpdateFirmware request id. */
import type { Handler201 } from './types.js';

export const firmwareStatusNotification: Handler201<'FirmwareStatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'firmware.status', status: req.status, requestId: req.requestId ?? null },
    },
  ],
});
