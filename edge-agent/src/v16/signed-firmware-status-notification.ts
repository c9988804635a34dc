/** 1.6 Security Whitepaper SignedFirmwareStatusNotification: firmware status with the request id. */
import type { Handler16 } from './types.js';

export const signedFirmwareStatusNotification: Handler16<'SignedFirmwareStatusNotification'> = (
  req,
  ctx,
) => ({
  res: {},
  events: [
    {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'firmware.status', status: req.status, requestId: req.requestId ?? null },
    },
  ],
});
