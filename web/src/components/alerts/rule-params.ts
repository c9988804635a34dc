/**
 * The thresholds each rule kind takes (cloud/src/alerts/schemas.ts RULE_PARAMS), as form fields:
 * their names, lower bounds, whether they may be left out, and the values a new rule starts with.
 */
import type { RuleKind } from '../../api/types';

export const PARAM_KEYS = [
  'durationMinutes',
  'threshold',
  'windowMinutes',
  'noMeterMinutes',
  'suspendedMinutes',
  'missedIntervals',
  'energyKwh',
  'sessions',
  'operatingHours',
  'days',
  'hours',
] as const;
export type ParamKey = (typeof PARAM_KEYS)[number];

export interface ParamField {
  key: ParamKey;
  min: number;
  /** May be left empty (maintenance_due needs at least one of its four). */
  optional?: boolean;
  initial: number | null;
}

const window = (initial: number): ParamField => ({ key: 'windowMinutes', min: 1, initial });

export const RULE_PARAM_FIELDS: Record<RuleKind, readonly ParamField[]> = {
  station_offline: [{ key: 'durationMinutes', min: 1, initial: 10 }],
  site_unreachable: [{ key: 'durationMinutes', min: 1, initial: 5 }],
  connector_faulted: [{ key: 'durationMinutes', min: 0, initial: 0 }],
  fault_burst: [{ key: 'threshold', min: 2, initial: 3 }, window(60)],
  charging_error: [
    window(15),
    { key: 'noMeterMinutes', min: 1, initial: 10 },
    { key: 'suspendedMinutes', min: 1, initial: 30 },
  ],
  heartbeat_missed: [{ key: 'missedIntervals', min: 2, initial: 3 }],
  firmware_failed: [window(60)],
  diagnostics_failed: [window(60)],
  security_event: [window(60)],
  maintenance_due: [
    { key: 'energyKwh', min: 1, optional: true, initial: 50_000 },
    { key: 'sessions', min: 1, optional: true, initial: null },
    { key: 'operatingHours', min: 1, optional: true, initial: null },
    { key: 'days', min: 1, optional: true, initial: 180 },
  ],
  session_stuck: [{ key: 'hours', min: 1, initial: 24 }],
};

/** The params a kind starts with. */
export function initialParams(kind: RuleKind): Record<string, number> {
  const params: Record<string, number> = {};
  for (const f of RULE_PARAM_FIELDS[kind]) if (f.initial !== null) params[f.key] = f.initial;
  return params;
}
