/**
 * 1.6 BootNotification (§4.2): registration status and heartbeat interval come from the site's boot
 * policy. While Pending/Rejected the runtime refuses other CALLs (§4.2); that gate is not here.
 */
import type { Handler16 } from './types.js';

const STATUS = { accepted: 'Accepted', pending: 'Pending', rejected: 'Rejected' } as const;

export const bootNotification: Handler16<'BootNotification'> = (req, ctx) => {
  const now = ctx.clock.now();
  const { registration, heartbeatIntervalS } = ctx.bootPolicy;
  return {
    res: { status: STATUS[registration], currentTime: now.toISOString(), interval: heartbeatIntervalS },
    events: [
      {
        occurredAt: now.toISOString(),
        event: {
          type: 'station.booted',
          vendor: req.chargePointVendor,
          model: req.chargePointModel,
          // chargeBoxSerialNumber is deprecated in 1.6 in favour of chargePointSerialNumber (§6.3 BootNotification.req).
          serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber ?? null,
          firmwareVersion: req.firmwareVersion ?? null,
          // 1.6 does not say why the station booted.
          reason: 'unknown',
          rawReason: null,
          registration,
          heartbeatIntervalS,
        },
      },
    ],
  };
};
