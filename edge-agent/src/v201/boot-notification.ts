/**
 * 2.0.1 BootNotification (B01-B03): status and interval from the site's boot policy. When Pending or
 * Rejected, `interval` is the retry interval (B02/B03), which the same policy value serves.
 */
import type { BootReasonEnumType } from '@voltmesh/ocpp/v201';
import type { Handler201 } from './types.js';

const STATUS = { accepted: 'Accepted', pending: 'Pending', rejected: 'Rejected' } as const;

const REASONS = {
  ApplicationReset: 'application_reset',
  FirmwareUpdate: 'firmware_update',
  LocalReset: 'local_reset',
  PowerUp: 'power_up',
  RemoteReset: 'remote_reset',
  ScheduledReset: 'scheduled_reset',
  Triggered: 'triggered',
  Unknown: 'unknown',
  Watchdog: 'watchdog',
} as const satisfies Record<BootReasonEnumType, string>;

/** A reason outside BootReasonEnumType (only reachable if schema validation is bypassed) keeps its raw value. */
function bootReason(raw: string): { reason: string; rawReason: string | null } {
  const known = (REASONS as Readonly<Record<string, string>>)[raw];
  return known ? { reason: known, rawReason: null } : { reason: 'unknown', rawReason: raw.slice(0, 64) };
}

export const bootNotification: Handler201<'BootNotification'> = (req, ctx) => {
  const now = ctx.clock.now().toISOString();
  const { registration, heartbeatIntervalS } = ctx.bootPolicy;
  const station = req.chargingStation;
  return {
    res: { status: STATUS[registration], currentTime: now, interval: heartbeatIntervalS },
    events: [
      {
        occurredAt: now,
        event: {
          type: 'station.booted',
          vendor: station.vendorName,
          model: station.model,
          serialNumber: station.serialNumber ?? null,
          firmwareVersion: station.firmwareVersion ?? null,
          ...bootReason(req.reason),
          registration,
          heartbeatIntervalS,
        },
      },
    ],
  };
};
