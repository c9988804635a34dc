/**
 * Time spent per connector in the states the analytics report on, from the station status history
 * (docs/ledger-and-reports.md has the formulas):
 * - online: after `station.connected` / `station.booted` or any `connector.status`, until
 *   `station.disconnected`; before any event a station counts as offline (as the fleet status does);
 * - occupied: online and the connector's last status is `occupied`;
 * - up (available to drivers in the uptime sense): online, and neither the connector nor the whole
 *   station (EVSE 0) is `faulted`.
 * Occupied intervals are kept so idle time (occupied, no energy flowing) can be cut from them.
 */
export interface StatusEvent {
  atMs: number;
  stationId: string;
  type: string;
  evseId: number | null;
  connectorId: number | null;
  status: string | null;
}

export interface ConnectorRef {
  stationId: string;
  evseId: number;
  connectorId: number;
}

export interface ConnectorTime extends ConnectorRef {
  occupiedMs: number;
  upMs: number;
  /** [start, end) in ms, merged and ordered. */
  occupied: [number, number][];
}

const keyOf = (evseId: number, connectorId: number) => `${evseId}/${connectorId}`;

/**
 * `events` ordered by time, holding the last state event of each station and connector before
 * `fromMs` (applied as the starting state) and every state event in [fromMs, toMs).
 */
export function sweepStatusTime(
  connectors: readonly ConnectorRef[],
  events: readonly StatusEvent[],
  fromMs: number,
  toMs: number,
): ConnectorTime[] {
  const byStation = new Map<string, StatusEvent[]>();
  for (const e of events) {
    const list = byStation.get(e.stationId) ?? [];
    list.push(e);
    byStation.set(e.stationId, list);
  }
  const out: ConnectorTime[] = connectors.map((c) => ({ ...c, occupiedMs: 0, upMs: 0, occupied: [] }));
  const perStation = new Map<string, ConnectorTime[]>();
  for (const c of out) perStation.set(c.stationId, [...(perStation.get(c.stationId) ?? []), c]);

  for (const [stationId, times] of perStation) {
    let online = false;
    const status = new Map<string, string>();
    let t = fromMs;
    const accumulate = (until: number) => {
      const end = Math.min(until, toMs);
      if (end <= t) return;
      const stationFaulted = status.get(keyOf(0, 0)) === 'faulted';
      for (const c of times) {
        const s = status.get(keyOf(c.evseId, c.connectorId));
        if (online && s === 'occupied') {
          c.occupiedMs += end - t;
          const last = c.occupied[c.occupied.length - 1];
          if (last && last[1] === t) last[1] = end;
          else c.occupied.push([t, end]);
        }
        if (online && s !== 'faulted' && !stationFaulted) c.upMs += end - t;
      }
      t = end;
    };
    for (const e of byStation.get(stationId) ?? []) {
      if (e.atMs > t) accumulate(e.atMs);
      if (e.type === 'station.connected' || e.type === 'station.booted') online = true;
      else if (e.type === 'station.disconnected') online = false;
      else if (e.type === 'connector.status' && e.status !== null && e.evseId !== null) {
        online = true;
        status.set(keyOf(e.evseId, e.evseId === 0 ? 0 : (e.connectorId ?? 1)), e.status);
      }
    }
    accumulate(toMs);
  }
  return out;
}
