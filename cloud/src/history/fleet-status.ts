/**
 * Fleet status over time from station status events. A station's state at an instant is the last
 * event before it: `station.connected` / `station.booted` make it online, `station.disconnected`
 * offline; `connector.status` sets that connector's status. Each bucket counts the stations as they
 * were at the bucket's end (or at `to` for the last, partial bucket): `online` + `offline` = every
 * station of the scope; `charging` and `faulted` are online stations with a connector occupied
 * or faulted (faulted wins, as in the display status), so they are part of `online`. The stations
 * counted are those of the scope today; a station that has sent nothing yet counts as offline.
 */
export interface StateEvent {
  atMs: number;
  stationId: string;
  type: string;
  evseId: number | null;
  connectorId: number | null;
  status: string | null;
}

export interface FleetPoint {
  at: string;
  online: number;
  charging: number;
  faulted: number;
  offline: number;
}

interface StationState {
  online: boolean;
  connectors: Map<string, string>;
}

/** `events` sorted by time (the state before the range first); `stations`: every station of the scope now. */
export function sweepFleetStatus(
  stations: readonly { id: string }[],
  events: readonly StateEvent[],
  points: readonly { atMs: number; sampleMs: number }[],
): FleetPoint[] {
  const state = new Map<string, StationState>(
    stations.map((s) => [s.id, { online: false, connectors: new Map() }]),
  );
  const out: FleetPoint[] = [];
  let i = 0;
  for (const p of points) {
    while (i < events.length && events[i]!.atMs <= p.sampleMs) apply(state, events[i++]!);
    const point: FleetPoint = {
      at: new Date(p.atMs).toISOString(),
      online: 0,
      charging: 0,
      faulted: 0,
      offline: 0,
    };
    for (const s of stations) {
      const st = state.get(s.id)!;
      if (!st.online) {
        point.offline++;
        continue;
      }
      point.online++;
      const statuses = [...st.connectors.entries()];
      if (statuses.some(([, v]) => v === 'faulted')) point.faulted++;
      else if (statuses.some(([k, v]) => v === 'occupied' && !k.startsWith('0/'))) point.charging++;
    }
    out.push(point);
  }
  return out;
}

function apply(state: Map<string, StationState>, e: StateEvent): void {
  const st = state.get(e.stationId);
  if (!st) return;
  if (e.type === 'station.connected' || e.type === 'station.booted') st.online = true;
  else if (e.type === 'station.disconnected') st.online = false;
  else if (e.type === 'connector.status' && e.status !== null && e.evseId !== null) {
    // A status message means the station is talking, even if its connect event was not seen.
    st.online = true;
    st.connectors.set(`${e.evseId}/${e.connectorId ?? 0}`, e.status);
  }
}
