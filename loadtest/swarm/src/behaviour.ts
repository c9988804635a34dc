/**
 * What happens to a station between protocol messages, drawn from the scenario on every swarm
 * tick: vehicles arrive (more at peak hours), satisfied drivers come back and leave, connectors
 * fault, stations reboot, networks drop. Works through the station's public controls only.
 */
import { faultErrorCodes } from './model.js';
import type { Scenario } from './options.js';
import { happens, pick, uniform, type Rng } from './rng.js';
import type { SimStation } from './station.js';

export interface BehaviourContext {
  rng: Rng;
  scenario: Scenario;
  simNowMs: () => number;
  /** Random arrivals; off when a test drives the sessions. */
  autonomous: boolean;
}

export function randomIdTag(rng: Rng, scenario: Scenario): string {
  return pick(rng, scenario.session.idTags) ?? 'SIMTAG';
}

/** Arrivals per connector per simulated hour at the simulated hour of day. */
export function arrivalRatePerHour(scenario: Scenario, simNowMs: number): number {
  const weights = scenario.arrivals.hourlyWeights;
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const weight = weights[new Date(simNowMs).getHours()] ?? 1;
  return (scenario.arrivals.perConnectorPerDay * weight) / sum;
}

export function tickStation(st: SimStation, ctx: BehaviourContext, dtRealS: number): void {
  if (st.phase === 'stopped' || !st.everBooted) return;
  const { rng, scenario } = ctx;
  const sim = ctx.simNowMs();
  const arrivalRate = arrivalRatePerHour(scenario, sim);
  for (const c of st.connectors) {
    const s = c.session;
    if (s && !s.manual && s.satisfied && s.departAtSimMs !== undefined && sim >= s.departAtSimMs) {
      if (rng.next() < scenario.session.stopWithCardProbability) {
        st.stopWithCard(c.id);
        c.leaveAtSimMs = sim + uniform(rng, 1, 5) * 60_000;
      } else {
        st.unplug(c.id);
      }
    } else if (!s && c.plugged && c.leaveAtSimMs !== undefined && sim >= c.leaveAtSimMs) {
      st.unplug(c.id);
    } else if (
      ctx.autonomous &&
      !c.plugged &&
      !c.fault &&
      c.operative &&
      happens(rng, arrivalRate, dtRealS * scenario.timeScale)
    ) {
      void st.plugIn(c.id, randomIdTag(rng, scenario), false);
    }
  }
  // Faults, reboots and drops are rates per real hour: they are about the network, not the day.
  if (happens(rng, scenario.faults.perStationPerHour, dtRealS)) {
    const c = pick(
      rng,
      st.connectors.filter((x) => !x.fault),
    );
    const errorCode = pick(rng, faultErrorCodes) ?? 'OtherError';
    const d = scenario.faults.durationS;
    const vendorErrorCode = `SIM-${errorCode.slice(0, 12).toUpperCase()}`;
    if (c) st.fault(c.id, { errorCode, vendorErrorCode }, uniform(rng, d.min, d.max) * 1000);
  }
  if (st.online && happens(rng, scenario.reboots.perStationPerHour, dtRealS)) {
    const d = scenario.reboots.downtimeS;
    void st.reboot('Hard', uniform(rng, d.min, d.max) * 1000, 'Watchdog');
  } else if (st.online && happens(rng, scenario.networkDrops.perStationPerHour, dtRealS)) {
    const d = scenario.networkDrops.durationS;
    void st.disconnect(uniform(rng, d.min, d.max) * 1000);
  }
}
