/**
 * Fleet and scenario formats, parsed once with zod; every default lives here.
 *
 * Two time bases: protocol timers (heartbeat, meter interval, network drops, faults, reboots) run
 * in real seconds, because the server under test sees real time. Vehicle behaviour (arrivals by
 * hour of day, battery physics, dwell) runs on a simulated clock that advances `timeScale` times
 * faster, so a demo shows a day's activity in minutes.
 */
import { z } from 'zod';
import { InvalidConfigError, SwarmErrorCode } from './errors.js';

export const OcppVersion = { V16: 'ocpp1.6', V201: 'ocpp2.0.1' } as const;
export type OcppVersion = (typeof OcppVersion)[keyof typeof OcppVersion];

export const stationConfigSchema = z.object({
  identity: z
    .string()
    .min(1)
    .max(48)
    .regex(/^[A-Za-z0-9._\-*@!#$%&'+^`|~]+$/, 'identity must be URL-safe (no spaces, slashes or colons)'),
  url: z.string().regex(/^wss?:\/\//, 'url must start with ws:// or wss://'),
  ocppVersion: z.enum([OcppVersion.V16, OcppVersion.V201]),
  connectors: z.number().int().min(1).max(32),
  /** Maximum power one connector can deliver. */
  maxPowerW: z.number().positive().max(1_000_000),
  /** Supply phases; defaults to 3 above 7.4 kW, else 1. */
  phases: z.union([z.literal(1), z.literal(3)]).optional(),
  password: z.string().min(1).optional(),
  vendor: z.string().max(20).default('Voltmesh'),
  model: z.string().max(20).default('SwarmSim'),
});
export type StationConfigInput = z.input<typeof stationConfigSchema>;
export type StationConfig = z.output<typeof stationConfigSchema>;

export const fleetSchema = z
  .object({ stations: z.array(stationConfigSchema).min(1) })
  .superRefine((fleet, ctx) => {
    const seen = new Set<string>();
    for (const [i, s] of fleet.stations.entries()) {
      if (seen.has(s.identity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['stations', i, 'identity'],
          message: `duplicate identity ${s.identity}`,
        });
      }
      seen.add(s.identity);
    }
  });
export type FleetInput = z.input<typeof fleetSchema>;
export type Fleet = z.output<typeof fleetSchema>;

const range = (min: number, max: number) => z.object({ min: z.number().min(min), max: z.number().max(max) });

/** Relative arrival weight per hour of day; a typical weekday with morning and evening peaks. */
export const defaultHourlyWeights = [
  0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.4, 1.8, 1.5, 1.2, 1.1, 1.2, 1.1, 1.0, 1.1, 1.4, 1.9, 2.0, 1.7, 1.2,
  0.8, 0.5, 0.3,
];

export const scenarioSchema = z
  .object({
    seed: z.number().int().default(1),
    /** Simulated seconds per real second. */
    timeScale: z.number().positive().max(3600).default(1),
    /** Simulated hour of day at start (0-24); default: the current local hour. */
    startHour: z.number().min(0).lt(24).optional(),
    /** Real seconds between transaction meter values (MeterValueSampleInterval / TxUpdatedInterval). */
    meterIntervalS: z.number().positive().default(60),
    /** Real milliseconds between behaviour ticks (arrivals, departures, random events). */
    tickMs: z.number().int().min(10).default(1000),
    /** Real milliseconds over which station connections are spread at start. */
    rampMs: z.number().int().min(0).default(0),
    arrivals: z
      .object({
        perConnectorPerDay: z.number().min(0).default(4),
        hourlyWeights: z.array(z.number().min(0)).length(24).default(defaultHourlyWeights),
        /** Share of connectors that already have a vehicle when the station boots. */
        initialOccupancy: z.number().min(0).max(1).default(0),
      })
      .prefault({}),
    session: z
      .object({
        energyKWh: z
          .object({
            mean: z.number().positive(),
            sd: z.number().min(0),
            min: z.number().positive(),
            max: z.number().positive(),
          })
          .default({ mean: 22, sd: 12, min: 2, max: 80 }),
        batteryKWh: range(5, 250).default({ min: 40, max: 100 }),
        arrivalSocPercent: range(0, 100).default({ min: 10, max: 60 }),
        taperStartSocPercent: z.number().min(1).max(100).default(80),
        /** Simulated minutes a vehicle stays plugged in after it is satisfied. */
        idleAfterFullMin: range(0, 24 * 60).default({ min: 0, max: 30 }),
        /** Probability the driver ends with the card (Local stop, Finishing) rather than just unplugging. */
        stopWithCardProbability: z.number().min(0).max(1).default(0.7),
        idTags: z
          .array(z.string().min(1).max(20))
          .min(1)
          .default(['04A1B2C3D4', '04E5F6A7B8', '0411223344', '0455667788']),
      })
      .prefault({}),
    faults: z
      .object({
        perStationPerHour: z.number().min(0).default(0),
        durationS: range(0, 86_400).default({ min: 10, max: 60 }),
      })
      .prefault({}),
    reboots: z
      .object({
        perStationPerHour: z.number().min(0).default(0),
        downtimeS: range(0, 86_400).default({ min: 2, max: 10 }),
      })
      .prefault({}),
    networkDrops: z
      .object({
        perStationPerHour: z.number().min(0).default(0),
        durationS: range(0, 86_400).default({ min: 5, max: 30 }),
      })
      .prefault({}),
    /** Heartbeat to use until a BootNotification answer says otherwise. */
    defaultHeartbeatIntervalS: z.number().int().positive().default(300),
    callTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export const maxStationsDefault = 20_000;

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(input ?? {});
  if (!r.success)
    throw new InvalidConfigError(SwarmErrorCode.InvalidScenario, `invalid ${source}`, formatIssues(r.error));
  return r.data;
}

export function parseFleet(input: unknown, source = 'fleet'): Fleet {
  const r = fleetSchema.safeParse(input);
  if (!r.success)
    throw new InvalidConfigError(SwarmErrorCode.InvalidFleet, `invalid ${source}`, formatIssues(r.error));
  return r.data;
}

/** Parses `90s`, `10m`, `2h`, `1500ms` or a bare number of seconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) {
    throw new InvalidConfigError(SwarmErrorCode.InvalidOptions, 'invalid duration', [
      `${JSON.stringify(text)} is not like 90s, 10m, 2h or 1500ms`,
    ]);
  }
  const n = Number(m[1]);
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return n * unitMs[(m[2] ?? 's') as keyof typeof unitMs];
}
