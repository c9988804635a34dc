/**
 * The worked example of docs/tariffs.md: a tariff with a weekday evening peak, an idle fee after a
 * grace period and 19 % tax, and a session that charges across the start of the peak and then stays
 * plugged in. The tests price it by hand; the demo seed offers the tariff.
 */
import type { TimelinePoint } from './cost.js';
import type { TariffSpec } from './tariff.js';

const tariff: TariffSpec = {
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  energyPerKwh: '0.30',
  chargingPerMinute: '0.02',
  idlePerMinute: '0.10',
  idleGraceMinutes: 10,
  sessionFee: '1.00',
  minimum: '2.00',
  maximum: '100.00',
  taxRatePercent: '19',
  periods: [
    {
      name: 'Peak',
      days: [1, 2, 3, 4, 5],
      startMinute: 17 * 60,
      endMinute: 20 * 60,
      energyPerKwh: '0.45',
      chargingPerMinute: null,
      idlePerMinute: '0.20',
    },
  ],
};

/** Wednesday 2 December 2026, Berlin (UTC+1): 16:30–17:30 local at 11 kW, then 20 minutes idle. */
const START_MS = Date.parse('2026-12-02T15:30:00Z');
const MIN = 60_000;
const timeline: TimelinePoint[] = [
  { atMs: START_MS, energyWh: 0 },
  { atMs: START_MS + 30 * MIN, energyWh: 5_500 },
  { atMs: START_MS + 60 * MIN, energyWh: 11_000 },
  { atMs: START_MS + 80 * MIN, energyWh: 11_000 },
];

export const HAND_EXAMPLE = { tariff, timeline, startMs: START_MS } as const;
