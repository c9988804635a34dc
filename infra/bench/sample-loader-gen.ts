/**
 * Synthetic meter data of one AC charger (one connector, 3 phases, 230 V): sessions arrive at random
 * (fewer at night), each plugs in (Preparing), charges at the car's power (7.4, 11 or 22 kW) with a
 * taper over its last fifth, sampled every 60 s (energy register, power, current and voltage per
 * phase: 8 rows), then Finishing and Available some minutes after. Between sessions the charger sends
 * clock-aligned readings every 15 min (register and power 0). The register only goes up. Pure and
 * deterministic (seeded per station), so a test can check it and two runs load the same data.
 */

export const SESSION_INTERVAL_MS = 60_000;
export const IDLE_INTERVAL_MS = 15 * 60_000;

/** Small fast PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Instant {
  at: number;
  /** Register in Wh at this instant. */
  registerWh: number;
  /** Total power in W (0 when idle). */
  powerW: number;
  /** Per-phase current (A) and voltage (V); null when idle (only register and power are sent). */
  phases: { currentA: number; voltageV: number }[] | null;
  /** The session's transaction id, or null between sessions. */
  transactionId: string | null;
}

export interface StatusChange {
  at: number;
  status: 'available' | 'occupied';
  rawStatus: 'Available' | 'Preparing' | 'Charging' | 'Finishing';
}

export interface SessionRecord {
  transactionId: string;
  idToken: string;
  startedAt: number;
  endedAt: number;
  meterStartWh: number;
  meterStopWh: number;
}

export interface StationSink {
  instant(i: Instant): void;
  status(s: StatusChange): void;
  session(s: SessionRecord): void;
}

/** Mean gap between sessions, tuned for ~3.5 h of charging a day (about 15 % utilisation). */
const MEAN_GAP_MS = 6.5 * 3_600_000;
const CAR_POWERS_W = [7_400, 11_000, 11_000, 22_000];

/**
 * Generates everything station `index` did in [startMs, endMs); every session ends before `endMs`.
 * Yields control to the caller through `sink`; returns the final register.
 */
export function* stationTimeline(
  index: number,
  startMs: number,
  endMs: number,
  sink: StationSink,
): Generator<void, number, void> {
  const rnd = prng(index * 7919 + 17);
  let register = Math.round(rnd() * 5_000_000); // Wh already on the meter at the start
  let t = startMs;
  let sessionNo = 0;
  let nextIdle = Math.ceil(startMs / IDLE_INTERVAL_MS) * IDLE_INTERVAL_MS;
  for (;;) {
    // Next arrival: exponential gap, re-drawn (mostly) when it falls between 22:00 and 06:00 UTC.
    let arrival = t + -Math.log(1 - rnd()) * MEAN_GAP_MS;
    const hour = new Date(arrival).getUTCHours();
    if ((hour >= 22 || hour < 6) && rnd() < 0.7) arrival += 8 * 3_600_000 * rnd();
    arrival = Math.floor(arrival / 1000) * 1000;
    const durationMin = 20 + Math.floor(rnd() * 130);
    const carPower = CAR_POWERS_W[Math.floor(rnd() * CAR_POWERS_W.length)]!;
    const finishingMs = arrival + 60_000 + durationMin * SESSION_INTERVAL_MS;
    const availableAt = finishingMs + (1 + Math.floor(rnd() * 20)) * 60_000;
    // Idle readings up to the arrival (or the end).
    const idleUntil = Math.min(arrival, endMs);
    for (; nextIdle < idleUntil; nextIdle += IDLE_INTERVAL_MS) {
      sink.instant({ at: nextIdle, registerWh: register, powerW: 0, phases: null, transactionId: null });
    }
    if (availableAt >= endMs) break;
    sessionNo++;
    const transactionId = `${index}-${sessionNo}`;
    const meterStart = register;
    sink.status({ at: arrival, status: 'occupied', rawStatus: 'Preparing' });
    sink.status({ at: arrival + 30_000, status: 'occupied', rawStatus: 'Charging' });
    let last = arrival + 60_000;
    for (let m = 1; m <= durationMin; m++) {
      const at = arrival + 60_000 + m * SESSION_INTERVAL_MS;
      const taper = m > durationMin * 0.8 ? Math.max(0.1, (durationMin - m) / (durationMin * 0.2)) : 1;
      const power = Math.round(carPower * taper * (0.97 + rnd() * 0.03));
      register += Math.round((power * (at - last)) / 3_600_000);
      last = at;
      const voltage = 228 + rnd() * 6;
      const current = Math.round((power / 3 / voltage) * 10) / 10;
      sink.instant({
        at,
        registerWh: register,
        powerW: power,
        phases: [0, 1, 2].map(() => ({
          currentA: current,
          voltageV: Math.round((voltage + rnd() - 0.5) * 10) / 10,
        })),
        transactionId,
      });
      yield;
    }
    sink.status({ at: finishingMs, status: 'occupied', rawStatus: 'Finishing' });
    sink.status({ at: availableAt, status: 'available', rawStatus: 'Available' });
    sink.session({
      transactionId,
      idToken: `TAG-${String(Math.floor(rnd() * 2_000)).padStart(4, '0')}`,
      startedAt: arrival,
      endedAt: finishingMs,
      meterStartWh: meterStart,
      meterStopWh: register,
    });
    nextIdle = Math.ceil((availableAt + 1) / IDLE_INTERVAL_MS) * IDLE_INTERVAL_MS;
    t = availableAt;
  }
  return register;
}

/** Rows one instant becomes in meter_samples. */
export const rowsOf = (i: Instant) => (i.phases ? 2 + 2 * i.phases.length : 2);
