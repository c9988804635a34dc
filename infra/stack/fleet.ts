/**
 * The demo fleet: tenant, cities, sites and stations at real coordinates. The cloud seeds it into the
 * database (`cli seed-demo`); the stack derives from it one edge agent per site and the swarm's list
 * of simulated chargers pointed at their site's edge.
 */
import { readFile } from 'node:fs/promises';

export interface FleetStation {
  identity: string;
  name: string;
  ocppVersion: 'ocpp1.6' | 'ocpp2.0.1';
  connectors: { type: string; maxPowerW: number }[];
}

export interface FleetSite {
  code: string;
  name: string;
  stations: FleetStation[];
}

export interface Fleet {
  tenant: { name: string };
  admin: { email: string; name: string; password: string };
  /** More accounts with one role each (the cloud's seed validates them); absent in older files. */
  users: { email: string; password: string; role: string; site?: string }[];
  cities: { name: string; sites: FleetSite[] }[];
}

export class FleetError extends Error {
  readonly code = 'VM_FLEET_INVALID';
}

export async function loadFleet(path: string): Promise<Fleet> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new FleetError(`cannot read fleet file ${path}`, { cause });
  }
  const fleet = value as Fleet;
  if (!fleet?.admin?.email || !Array.isArray(fleet.cities)) {
    throw new FleetError(`${path}: expected { tenant, admin, cities: [...] }`);
  }
  return { ...fleet, users: Array.isArray(fleet.users) ? fleet.users : [] };
}

export function sitesOf(fleet: Fleet): FleetSite[] {
  return fleet.cities.flatMap((city) => city.sites);
}

export interface SwarmStation {
  identity: string;
  url: string;
  ocppVersion: 'ocpp1.6' | 'ocpp2.0.1';
  connectors: number;
  maxPowerW: number;
}

/** The swarm's fleet file: each station connects to the edge agent of its own site. */
export function swarmFleet(
  fleet: Fleet,
  edgeUrl: (siteCode: string) => string,
): { stations: SwarmStation[] } {
  return {
    stations: sitesOf(fleet).flatMap((site) =>
      site.stations.map((station) => ({
        identity: station.identity,
        url: edgeUrl(site.code),
        ocppVersion: station.ocppVersion,
        connectors: station.connectors.length,
        maxPowerW: Math.max(...station.connectors.map((c) => c.maxPowerW)),
      })),
    ),
  };
}
