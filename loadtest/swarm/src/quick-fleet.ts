/** Generates a fleet for the CLI's quick form (`--url … --count N --mix r`). */
import { OcppVersion, type FleetInput } from './options.js';

export interface QuickFleetOptions {
  url: string;
  count: number;
  /** Share of stations speaking OCPP 2.0.1, spread evenly through the fleet. */
  mix: number;
  connectors: number;
  maxPowerW: number;
  prefix: string;
  password?: string;
}

export function generateFleet(o: QuickFleetOptions): FleetInput {
  const width = String(o.count).length;
  const mix = Math.min(1, Math.max(0, o.mix));
  return {
    stations: Array.from({ length: o.count }, (_, i) => ({
      identity: `${o.prefix}${String(i + 1).padStart(Math.max(4, width), '0')}`,
      url: o.url,
      ocppVersion: Math.floor((i + 1) * mix) > Math.floor(i * mix) ? OcppVersion.V201 : OcppVersion.V16,
      connectors: o.connectors,
      maxPowerW: o.maxPowerW,
      ...(o.password !== undefined ? { password: o.password } : {}),
    })),
  };
}
