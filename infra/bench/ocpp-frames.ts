/**
 * OCPP-J 1.6 frames for the benchmarks' lean charger client: encoding of the few CALLs a benchmark
 * sends and a reader for whatever comes back. No I/O, no schema validation — the edge validates, and
 * the benchmarks only send payloads that are valid against the 1.6 schemas.
 */

export const MESSAGE_TYPE = { call: 2, result: 3, error: 4 } as const;

export type IncomingFrame =
  | { kind: 'call'; id: string; action: string }
  | { kind: 'result'; id: string }
  | { kind: 'error'; id: string; code: string; description: string }
  | { kind: 'unreadable' };

export function encodeCall(id: string, action: string, payload: unknown): string {
  return JSON.stringify([MESSAGE_TYPE.call, id, action, payload]);
}

/** The benchmarks implement no charger-side commands: every CALL from the edge gets this. */
export function encodeNotImplemented(id: string, action: string): string {
  return JSON.stringify([MESSAGE_TYPE.error, id, 'NotImplemented', `${action} is not simulated`, {}]);
}

export function readFrame(text: string): IncomingFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'unreadable' };
  }
  if (!Array.isArray(frame) || typeof frame[1] !== 'string') return { kind: 'unreadable' };
  const [type, id] = frame as [unknown, string];
  if (type === MESSAGE_TYPE.result && frame.length === 3) return { kind: 'result', id };
  if (type === MESSAGE_TYPE.call && frame.length === 4 && typeof frame[2] === 'string') {
    return { kind: 'call', id, action: frame[2] };
  }
  if (type === MESSAGE_TYPE.error && frame.length === 5) {
    return { kind: 'error', id, code: String(frame[2]), description: String(frame[3]) };
  }
  return { kind: 'unreadable' };
}

export function bootNotification(identity: string) {
  return {
    chargePointVendor: 'Voltmesh',
    chargePointModel: 'Bench-22',
    chargePointSerialNumber: identity.slice(0, 25),
    firmwareVersion: '1.0.0',
  };
}

export type ConnectorStatus16 = 'Available' | 'Preparing' | 'Charging' | 'Finishing' | 'Faulted';

export function statusNotification(connectorId: number, status: ConnectorStatus16, timestamp: Date) {
  return { connectorId, status, errorCode: 'NoError', timestamp: timestamp.toISOString() };
}

/**
 * The sampled values of one instant: register, power, and per-phase current and voltage — what an
 * AC charger reports each interval. Each one is a distinct row in `meter_samples` (its key holds
 * measurand and phase).
 */
const MEASURANDS = [
  { measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
  { measurand: 'Power.Active.Import', unit: 'W' },
  { measurand: 'Current.Import', unit: 'A', phase: 'L1' },
  { measurand: 'Current.Import', unit: 'A', phase: 'L2' },
  { measurand: 'Current.Import', unit: 'A', phase: 'L3' },
  { measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
  { measurand: 'Voltage', unit: 'V', phase: 'L2-N' },
  { measurand: 'Voltage', unit: 'V', phase: 'L3-N' },
  { measurand: 'Frequency' },
  { measurand: 'Temperature', unit: 'Celsius', location: 'Body' },
] as const;

export const SAMPLES_PER_INSTANT = MEASURANDS.length;

/**
 * MeterValues.req with `instants` meterValue entries one `stepMs` apart starting at `startMs`, each
 * with SAMPLES_PER_INSTANT sampled values. Distinct start times give distinct rows downstream.
 */
export function meterValues(connectorId: number, startMs: number, instants: number, stepMs: number) {
  const meterValue = [];
  for (let i = 0; i < instants; i++) {
    const atMs = startMs + i * stepMs;
    const energyWh = (atMs / 1000) % 1e7;
    meterValue.push({
      timestamp: new Date(atMs).toISOString(),
      sampledValue: MEASURANDS.map((m) => ({
        value: sampleValue(m.measurand, energyWh),
        context: 'Sample.Periodic',
        ...m,
      })),
    });
  }
  return { connectorId, meterValue };
}

function sampleValue(measurand: (typeof MEASURANDS)[number]['measurand'], energyWh: number): string {
  switch (measurand) {
    case 'Energy.Active.Import.Register':
      return energyWh.toFixed(0);
    case 'Power.Active.Import':
      return '11040';
    case 'Current.Import':
      return '16.0';
    case 'Voltage':
      return '230.0';
    case 'Frequency':
      return '50.0';
    case 'Temperature':
      return '31.5';
  }
}
