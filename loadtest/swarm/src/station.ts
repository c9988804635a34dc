/**
 * One simulated charge point: connection lifecycle, boot, heartbeat, connectors and sessions,
 * and the ordered offline queue for transaction messages. Version-neutral; the dialect formats
 * every frame. This is the protocol state machine, so it is longer than most files.
 */
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client.js';
import type {
  BootReason,
  Call,
  Dialect,
  OutboxItem,
  RemoteStartResult,
  StationControl,
  TriggerKind,
} from './dialect.js';
import { SwarmError, SwarmErrorCode, UnknownConnectorError } from './errors.js';
import type { SwarmEventListener } from './events.js';
import {
  ConnectorStatus,
  StopReason,
  faultErrorCodes,
  nominalVoltageV,
  type Connector,
  type Fault,
  type MeterSample,
  type Session,
  type Settings,
  type StartTrigger,
} from './model.js';
import type { Scenario, StationConfig } from './options.js';
import { happens, pick, uniform, type Rng } from './rng.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { SwarmStats } from './stats.js';
import { chargeSession, newSession } from './vehicle.js';

export const StationPhase = {
  Offline: 'offline',
  Connecting: 'connecting',
  Booting: 'booting',
  Pending: 'pending',
  Rejected: 'rejected',
  Accepted: 'accepted',
  Stopped: 'stopped',
} as const;
export type StationPhase = (typeof StationPhase)[keyof typeof StationPhase];

export interface StationDeps {
  dialect: Dialect;
  scenario: Scenario;
  scheduler: Scheduler;
  rng: Rng;
  stats: SwarmStats;
  emit: SwarmEventListener;
  /** Simulated wall clock (ms) for vehicle behaviour. */
  simNowMs: () => number;
  /** Random arrivals, departures and initial occupancy; off in tests that drive sessions by hand. */
  autonomous: boolean;
  initialEnergyWh: number;
}

type TimerName = 'heartbeat' | 'meter' | 'boot' | 'reconnect';

const maxReconnectDelayMs = 30_000;
const maxTxAttempts = 3;

export class SimStation implements StationControl {
  readonly identity: string;
  readonly connectors: Connector[];
  readonly settings: Settings;
  #phase: StationPhase = StationPhase.Offline;
  #client: RPCClient | undefined;
  #bootedThisPowerCycle = false;
  #everBooted = false;
  #outbox: OutboxItem[] = [];
  #draining = false;
  #timers = new Map<TimerName, TimerHandle>();
  #authCache = new Set<string>();
  #nextLocalTxId = 1;
  #nextEventId = 1;
  #reconnectAttempt = 0;
  #heldOffline = false;
  #pendingReset: 'Soft' | 'Hard' | undefined;

  constructor(
    readonly config: StationConfig,
    private readonly deps: StationDeps,
  ) {
    this.identity = config.identity;
    this.settings = {
      heartbeatIntervalS: deps.scenario.defaultHeartbeatIntervalS,
      meterIntervalS: deps.scenario.meterIntervalS,
      connectionTimeOutS: 60,
      authorizeRemoteTxRequests: false,
      localAuthorizeOffline: true,
      stopTransactionOnEVSideDisconnect: true,
      meterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC',
    };
    this.connectors = Array.from({ length: config.connectors }, (_, i) => ({
      id: i + 1,
      status: ConnectorStatus.Available,
      fault: undefined,
      energyWh: deps.initialEnergyWh * (1 + i * 0.37),
      operative: true,
      inoperativeScheduled: false,
      plugged: false,
      session: undefined,
      leaveAtSimMs: undefined,
    }));
  }

  /** Read through a method: the phase changes across awaits, which narrowing cannot see. */
  #isStopped(): boolean {
    return this.#phase === StationPhase.Stopped;
  }

  get vendor(): string {
    return this.config.vendor;
  }
  get phase(): StationPhase {
    return this.#phase;
  }
  get online(): boolean {
    return this.#client?.state === RPCClient.OPEN;
  }
  get queuedTransactionMessages(): number {
    return this.#outbox.length;
  }
  get phases(): 1 | 3 {
    return this.config.phases ?? (this.config.maxPowerW > 7400 ? 3 : 1);
  }

  connector(id: number): Connector | undefined {
    return this.connectors.find((c) => c.id === id);
  }

  requireConnector(id: number): Connector {
    const c = this.connector(id);
    if (!c) throw new UnknownConnectorError(this.identity, id);
    return c;
  }

  // ---- connection lifecycle -------------------------------------------------------------

  /** Connects and boots; resolves once the socket is open or the first attempt failed. */
  async start(): Promise<void> {
    this.#heldOffline = false;
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#phase = StationPhase.Stopped;
    for (const name of [...this.#timers.keys()]) this.#clearTimer(name);
    await this.#closeSocket(1000, 'Swarm stopping', false);
  }

  /** Network drop: the socket closes, charging goes on, transaction messages queue up. */
  async disconnect(durationMs?: number): Promise<void> {
    if (this.#phase === StationPhase.Stopped) return;
    this.#heldOffline = true;
    this.#clearTimer('reconnect');
    this.deps.emit({ type: 'network_drop', identity: this.identity, durationMs });
    await this.#closeSocket(1001, 'Network drop', true);
    if (durationMs !== undefined) this.#setTimer('reconnect', durationMs, () => void this.reconnect());
  }

  async reconnect(): Promise<void> {
    if (this.#phase === StationPhase.Stopped || this.online) return;
    this.#heldOffline = false;
    this.#clearTimer('reconnect');
    await this.#connect();
  }

  /** Reboot: transactions end, the socket closes, the station boots again after `downtimeMs`. */
  async reboot(kind: 'Soft' | 'Hard', downtimeMs: number, reason: BootReason): Promise<void> {
    if (this.#phase === StationPhase.Stopped) return;
    this.deps.emit({ type: 'reboot', identity: this.identity, kind, downtimeMs });
    for (const c of this.connectors) {
      if (c.session) this.#endSession(c, kind === 'Soft' ? StopReason.SoftReset : StopReason.HardReset);
      c.plugged = false;
      c.leaveAtSimMs = undefined;
      if (!c.fault) c.status = c.operative ? ConnectorStatus.Available : ConnectorStatus.Unavailable;
    }
    // A soft reset lets the StopTransactions out first (OCPP 1.6 §5.14); a hard one keeps them queued.
    if (kind === 'Soft') await this.#drain();
    this.#heldOffline = true;
    this.#bootedThisPowerCycle = false;
    for (const name of ['heartbeat', 'meter', 'boot', 'reconnect'] as const) this.#clearTimer(name);
    await this.#closeSocket(1012, 'Rebooting', true);
    this.#setTimer('reconnect', downtimeMs, () => {
      this.#heldOffline = false;
      void this.#connect(reason);
    });
  }

  async #connect(bootReason: BootReason = 'PowerUp'): Promise<void> {
    if (this.#phase === StationPhase.Stopped || this.#heldOffline) return;
    this.#phase = StationPhase.Connecting;
    const client = new RPCClient({
      identity: this.identity,
      endpoint: this.config.url,
      protocols: [this.deps.dialect.version],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: this.deps.scenario.callTimeoutMs,
      pingIntervalMs: 60_000,
      ...(this.config.password !== undefined ? { password: this.config.password } : {}),
    } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    this.#registerHandlers(client);
    client.on('strictValidationFailure', (e: { method?: string; outbound?: boolean; error?: unknown }) => {
      this.deps.stats.schemaErrors++;
      this.deps.emit({
        type: 'schema_violation',
        identity: this.identity,
        action: e.method ?? 'unknown',
        outbound: e.outbound === true,
        message: e.error instanceof Error ? e.error.message : String(e.error),
      });
    });
    this.#client = client;
    try {
      await client.connect();
    } catch (err) {
      if (this.#client === client) this.#client = undefined;
      if (this.#isStopped()) return;
      this.#phase = StationPhase.Offline;
      this.deps.stats.errors++;
      const retryInMs = this.#backoffMs();
      this.deps.emit({
        type: 'connect_failed',
        identity: this.identity,
        message: errorMessage(err),
        retryInMs,
      });
      this.#setTimer('reconnect', retryInMs, () => void this.#connect(bootReason));
      return;
    }
    if (this.#client !== client || this.#isStopped()) {
      await client.close({ code: 1000, force: true });
      return;
    }
    this.#reconnectAttempt = 0;
    this.deps.stats.connected++;
    client.once('close', (e: { code?: number }) => this.#onSocketClosed(client, e.code));
    this.deps.emit({ type: 'connected', identity: this.identity, ocppVersion: this.deps.dialect.version });
    if (this.#bootedThisPowerCycle) this.#resumeAccepted();
    else void this.#boot(bootReason);
  }

  #onSocketClosed(client: RPCClient, code: number | undefined): void {
    this.deps.stats.connected--;
    if (this.#client !== client) {
      this.deps.emit({ type: 'disconnected', identity: this.identity, code, intentional: true });
      return;
    }
    this.#client = undefined;
    this.#clearTimer('heartbeat');
    this.#clearTimer('boot');
    if (this.#phase !== StationPhase.Stopped) this.#phase = StationPhase.Offline;
    this.deps.emit({ type: 'disconnected', identity: this.identity, code, intentional: false });
    if (this.#phase !== StationPhase.Stopped && !this.#heldOffline) {
      this.#setTimer('reconnect', this.#backoffMs(), () => void this.#connect());
    }
  }

  async #closeSocket(code: number, reason: string, force: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    this.#clearTimer('heartbeat');
    this.#clearTimer('boot');
    if (this.#phase !== StationPhase.Stopped) this.#phase = StationPhase.Offline;
    await client.close({ code, reason, force }).catch(() => undefined);
  }

  #backoffMs(): number {
    const base = Math.min(maxReconnectDelayMs, 1000 * 2 ** this.#reconnectAttempt++);
    return Math.round(base * uniform(this.deps.rng, 0.5, 1));
  }

  // ---- boot and heartbeat -----------------------------------------------------------------

  async #boot(reason: BootReason): Promise<void> {
    if (!this.online) return;
    this.#phase = StationPhase.Booting;
    const result = await this.#call(
      this.deps.dialect.bootNotification(this, this.config.model, reason),
    ).catch(() => undefined);
    if (result === undefined) {
      if (this.online)
        this.#setTimer(
          'boot',
          this.deps.scenario.defaultHeartbeatIntervalS * 1000,
          () => void this.#boot(reason),
        );
      return;
    }
    const answer = this.deps.dialect.parseBoot(result);
    this.deps.emit({
      type: 'booted',
      identity: this.identity,
      status: answer.status,
      heartbeatIntervalS: answer.intervalS,
    });
    if (answer.status === 'Accepted') {
      if (answer.intervalS > 0) this.settings.heartbeatIntervalS = answer.intervalS;
      this.#phase = StationPhase.Accepted;
      this.#bootedThisPowerCycle = true;
      const first = !this.#everBooted;
      this.#everBooted = true;
      this.#resumeAccepted();
      if (first && this.deps.autonomous) this.#seedInitialOccupancy();
      return;
    }
    // Pending/Rejected: send nothing else and retry after `interval` (OCPP 1.6 §4.2, 2.0.1 B02/B03).
    this.#phase = answer.status === 'Pending' ? StationPhase.Pending : StationPhase.Rejected;
    const retryS = answer.intervalS > 0 ? answer.intervalS : this.deps.scenario.defaultHeartbeatIntervalS;
    this.#setTimer('boot', retryS * 1000, () => void this.#boot(reason));
  }

  #resumeAccepted(): void {
    this.#phase = StationPhase.Accepted;
    this.#scheduleHeartbeat();
    for (const call of this.deps.dialect.statusNotifications(this, undefined)) void this.#send(call);
    this.#scheduleMeter();
    void this.#drain();
  }

  #scheduleHeartbeat(): void {
    this.#setTimer('heartbeat', this.settings.heartbeatIntervalS * 1000, () => {
      if (this.#phase !== StationPhase.Accepted) return;
      void this.#send(this.deps.dialect.heartbeat());
      this.#scheduleHeartbeat();
    });
  }

  // ---- calls --------------------------------------------------------------------------------

  /** One CALL with latency and error accounting; undefined when it failed (counted, not thrown). */
  async #call(call: Call): Promise<unknown> {
    const client = this.#client;
    if (!client) return undefined;
    const started = performance.now();
    this.deps.stats.messagesSent++;
    try {
      const result = await client.call(call.method, call.params);
      this.deps.stats.latency.record(performance.now() - started);
      return result ?? {};
    } catch (err) {
      this.deps.stats.errors++;
      this.deps.emit({
        type: 'call_failed',
        identity: this.identity,
        action: call.method,
        message: errorMessage(err),
        errorCode: rpcErrorCode(err),
      });
      throw err;
    }
  }

  /** A non-transactional message: only while accepted, dropped if offline (statuses are resent on reconnect). */
  async #send(call: Call): Promise<unknown> {
    if (this.#phase !== StationPhase.Accepted || !this.online) return undefined;
    return this.#call(call).catch(() => undefined);
  }

  #enqueue(item: OutboxItem | undefined): void {
    if (!item) return;
    this.#outbox.push(item);
    void this.#drain();
  }

  /** Sends queued transaction messages strictly in order; stops at the first connection failure. */
  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      let attempts = 0;
      while (this.#outbox.length > 0 && this.#phase === StationPhase.Accepted && this.online) {
        const item = this.#outbox[0]!;
        const call = item.build();
        if (!call) {
          this.#outbox.shift();
          continue;
        }
        try {
          const result = await this.#call(call);
          this.#outbox.shift();
          attempts = 0;
          const effect = item.onResult(result);
          if (effect.kind === 'deauthorize') this.#deauthorize(effect.localId);
        } catch (err) {
          // Connection lost: keep the message at the head for after the reconnect.
          if (!this.online) break;
          // Answered with a CALLERROR or refused by our own schema check: retry a few times, then drop.
          const code = rpcErrorCode(err);
          if (++attempts >= maxTxAttempts || code === undefined || code.includes('Violation')) {
            this.#outbox.shift();
            attempts = 0;
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /** The server refused the idTag in its answer to the start: stop (StopTransactionOnInvalidId). */
  #deauthorize(localId: number): void {
    const c = this.connectors.find((x) => x.session?.localId === localId);
    if (c) this.#endSession(c, StopReason.DeAuthorized);
  }

  // ---- meter values and physics -----------------------------------------------------------

  #scheduleMeter(): void {
    this.#setTimer('meter', this.settings.meterIntervalS * 1000, () => {
      this.#meterTick();
      this.#scheduleMeter();
    });
  }

  #meterTick(): void {
    for (const c of this.connectors) {
      if (!c.session) continue;
      const wasSatisfied = c.session.satisfied;
      this.#advance(c);
      this.#enqueue(
        this.deps.dialect.txUpdated(this.#txContext(c, c.session, 'Sample.Periodic'), 'MeterValuePeriodic'),
      );
      if (!wasSatisfied && c.session.satisfied) {
        this.#setStatus(c, ConnectorStatus.SuspendedEV);
        this.#enqueue(
          this.deps.dialect.txUpdated(
            this.#txContext(c, c.session, 'Sample.Periodic'),
            'ChargingStateChanged',
          ),
        );
        const idle = this.deps.scenario.session.idleAfterFullMin;
        c.session.departAtSimMs = this.deps.simNowMs() + uniform(this.deps.rng, idle.min, idle.max) * 60_000;
      }
    }
  }

  /** Integrates the vehicle's charging up to now; the register only ever grows. */
  #advance(c: Connector): void {
    const s = c.session;
    if (!s) return;
    const now = this.deps.scheduler.now();
    const dtSimS = (Math.max(0, now - s.lastAdvanceMs) / 1000) * this.deps.scenario.timeScale;
    s.lastAdvanceMs = now;
    if (c.status !== ConnectorStatus.Charging || s.satisfied) {
      s.powerW = 0;
      return;
    }
    c.energyWh += chargeSession(
      s,
      dtSimS,
      this.config.maxPowerW,
      this.deps.scenario.session.taperStartSocPercent,
    );
  }

  #sample(c: Connector, context: MeterSample['context']): MeterSample {
    const powerW = c.session?.powerW ?? 0;
    const phases = this.phases;
    const voltageV = nominalVoltageV + uniform(this.deps.rng, -3, 3);
    return {
      timestamp: new Date(this.deps.scheduler.now()).toISOString(),
      context,
      energyWh: Math.round(c.energyWh),
      powerW: Math.round(powerW),
      voltageV: Math.round(voltageV * 10) / 10,
      currentA: Math.round((powerW / (voltageV * phases)) * 100) / 100,
      phases,
      socPercent: c.session ? Math.round(c.session.battery.socPercent * 10) / 10 : undefined,
    };
  }

  #txContext(c: Connector, s: Session, context: MeterSample['context']) {
    return { connector: c, session: s, sample: this.#sample(c, context), offline: !this.online };
  }

  // ---- connectors and sessions --------------------------------------------------------------

  #setStatus(c: Connector, status: ConnectorStatus): void {
    if (c.status === status) return;
    c.status = status;
    this.deps.emit({ type: 'status', identity: this.identity, connectorId: c.id, status });
    for (const call of this.deps.dialect.statusNotifications(this, c)) void this.#send(call);
  }

  #restingStatus(c: Connector): ConnectorStatus {
    if (c.fault) return ConnectorStatus.Faulted;
    if (c.session) return c.session.satisfied ? ConnectorStatus.SuspendedEV : ConnectorStatus.Charging;
    if (c.inoperativeScheduled || !c.operative) {
      c.operative = false;
      c.inoperativeScheduled = false;
      return ConnectorStatus.Unavailable;
    }
    return c.plugged ? ConnectorStatus.Finishing : ConnectorStatus.Available;
  }

  /** A vehicle plugs in; with an idTag the driver also presents the card. */
  async plugIn(connectorId: number, idTag: string | undefined, manual = true): Promise<boolean> {
    const c = this.requireConnector(connectorId);
    if (c.plugged || c.fault || !c.operative || this.#phase === StationPhase.Stopped) return false;
    c.plugged = true;
    c.leaveAtSimMs = undefined;
    this.#setStatus(c, ConnectorStatus.Preparing);
    if (idTag === undefined) return true;
    return this.#authorizeAndStart(c, idTag, manual, 'Authorized', undefined);
  }

  async #authorizeAndStart(
    c: Connector,
    idTag: string,
    manual: boolean,
    trigger: StartTrigger,
    remoteStartId: number | undefined,
  ): Promise<boolean> {
    let accepted: boolean;
    if (this.#phase === StationPhase.Accepted && this.online) {
      const result = await this.#call(this.deps.dialect.authorize(idTag)).catch(() => undefined);
      accepted = result === undefined ? this.#authCache.has(idTag) : this.deps.dialect.parseAuthorize(result);
      if (accepted) this.#authCache.add(idTag);
    } else {
      // Offline: trust the local authorisation cache (LocalAuthorizeOffline).
      accepted = this.settings.localAuthorizeOffline && this.#authCache.has(idTag);
    }
    if (!c.plugged || c.session) return false;
    if (!accepted) {
      this.deps.emit({ type: 'authorization_rejected', identity: this.identity, connectorId: c.id, idTag });
      if (!manual) c.leaveAtSimMs = this.deps.simNowMs();
      return false;
    }
    this.#startSession(c, idTag, trigger, remoteStartId, manual);
    return true;
  }

  #startSession(
    c: Connector,
    idTag: string,
    trigger: StartTrigger,
    remoteStartId: number | undefined,
    manual: boolean,
  ): Session {
    const now = this.deps.scheduler.now();
    const session = newSession(this.deps.rng, this.deps.scenario, {
      localId: this.#nextLocalTxId++,
      idTag,
      remoteStartId,
      transactionId: this.deps.dialect.version === 'ocpp2.0.1' ? randomUUID() : undefined,
      nowMs: now,
      meterStartWh: Math.round(c.energyWh),
      manual,
    });
    c.session = session;
    this.#enqueue(this.deps.dialect.txStarted(this.#txContext(c, session, 'Transaction.Begin'), trigger));
    this.#setStatus(c, ConnectorStatus.Charging);
    this.deps.stats.sessionsActive++;
    this.deps.emit({
      type: 'session_started',
      identity: this.identity,
      connectorId: c.id,
      idTag,
      remote: trigger === 'RemoteStart',
    });
    return session;
  }

  #endSession(c: Connector, reason: StopReason): void {
    const s = c.session;
    if (!s) return;
    this.#advance(c);
    this.#enqueue(this.deps.dialect.txEnded(this.#txContext(c, s, 'Transaction.End'), reason));
    c.session = undefined;
    this.deps.stats.sessionsActive--;
    this.deps.stats.sessionsCompleted++;
    this.deps.emit({
      type: 'session_stopped',
      identity: this.identity,
      connectorId: c.id,
      reason,
      energyKWh: Math.round(s.deliveredWh) / 1000,
      offline: !this.online,
    });
    this.#setStatus(c, this.#restingStatus(c));
    if (this.#pendingReset && this.connectors.every((x) => !x.session)) {
      const kind = this.#pendingReset;
      this.#pendingReset = undefined;
      this.#setTimer('boot', 0, () => void this.reboot(kind, 1000, 'RemoteReset'));
    }
  }

  /** The vehicle leaves: a running transaction ends with EVDisconnected. */
  unplug(connectorId: number): void {
    const c = this.requireConnector(connectorId);
    if (!c.plugged) return;
    c.plugged = false;
    c.leaveAtSimMs = undefined;
    if (c.session) this.#endSession(c, StopReason.EVDisconnected);
    this.#setStatus(c, this.#restingStatus(c));
  }

  /** The driver presents the card again: Local stop, the connector goes to Finishing. */
  stopWithCard(connectorId: number): void {
    const c = this.requireConnector(connectorId);
    if (c.session) this.#endSession(c, StopReason.Local);
  }

  /** Forces a connector status (tests, demos). Faulted raises a fault until another status is set. */
  setStatus(connectorId: number, status: ConnectorStatus): void {
    const c = this.requireConnector(connectorId);
    if (status === ConnectorStatus.Faulted) {
      this.fault(connectorId, { errorCode: 'OtherError', vendorErrorCode: 'SIM-MANUAL' }, undefined);
      return;
    }
    if (c.fault) this.#clearFault(c);
    if (status === ConnectorStatus.Unavailable) c.operative = false;
    if (status === ConnectorStatus.Available) c.operative = true;
    this.#setStatus(c, status);
  }

  fault(connectorId: number, fault: Fault, durationMs: number | undefined): void {
    const c = this.requireConnector(connectorId);
    if (c.fault) return;
    if (c.session) this.#endSession(c, StopReason.Fault);
    c.plugged = false;
    c.fault = fault;
    this.deps.emit({ type: 'fault', identity: this.identity, connectorId, ...fault });
    this.#setStatus(c, ConnectorStatus.Faulted);
    const notice = this.deps.dialect.faultNotice(c, fault, false, this.#nextEventId++);
    if (notice) void this.#send(notice);
    if (durationMs !== undefined) {
      this.deps.scheduler.setTimeout(() => {
        if (c.fault === fault) this.#clearFault(c);
      }, durationMs);
    }
  }

  #clearFault(c: Connector): void {
    const fault = c.fault;
    if (!fault) return;
    c.fault = undefined;
    this.deps.emit({ type: 'fault_cleared', identity: this.identity, connectorId: c.id });
    const notice = this.deps.dialect.faultNotice(c, fault, true, this.#nextEventId++);
    if (notice) void this.#send(notice);
    this.#setStatus(c, this.#restingStatus(c));
  }

  // ---- behaviour (called by the swarm's tick) -------------------------------------------

  tick(dtRealS: number, hourlyArrivalRate: number): void {
    if (this.#phase === StationPhase.Stopped || !this.#everBooted) return;
    const { rng, scenario } = this.deps;
    const sim = this.deps.simNowMs();
    for (const c of this.connectors) {
      const s = c.session;
      if (s && !s.manual && s.satisfied && s.departAtSimMs !== undefined && sim >= s.departAtSimMs) {
        if (rng.next() < scenario.session.stopWithCardProbability) {
          this.#endSession(c, StopReason.Local);
          c.leaveAtSimMs = sim + uniform(rng, 1, 5) * 60_000;
        } else {
          this.unplug(c.id);
        }
      } else if (!s && c.plugged && c.leaveAtSimMs !== undefined && sim >= c.leaveAtSimMs) {
        this.unplug(c.id);
      } else if (
        this.deps.autonomous &&
        !c.plugged &&
        !c.fault &&
        c.operative &&
        happens(rng, hourlyArrivalRate, dtRealS * scenario.timeScale)
      ) {
        void this.#arrive(c);
      }
    }
    if (happens(rng, scenario.faults.perStationPerHour, dtRealS)) {
      const c = pick(
        rng,
        this.connectors.filter((x) => !x.fault),
      );
      const code = pick(rng, faultErrorCodes) ?? 'OtherError';
      const durS = uniform(rng, scenario.faults.durationS.min, scenario.faults.durationS.max);
      if (c)
        this.fault(
          c.id,
          { errorCode: code, vendorErrorCode: `SIM-${code.slice(0, 12).toUpperCase()}` },
          durS * 1000,
        );
    }
    if (this.online && happens(rng, scenario.reboots.perStationPerHour, dtRealS)) {
      const d = scenario.reboots.downtimeS;
      void this.reboot('Hard', uniform(rng, d.min, d.max) * 1000, 'Watchdog');
    } else if (this.online && happens(rng, scenario.networkDrops.perStationPerHour, dtRealS)) {
      const d = scenario.networkDrops.durationS;
      void this.disconnect(uniform(rng, d.min, d.max) * 1000);
    }
  }

  async #arrive(c: Connector): Promise<void> {
    const tag = pick(this.deps.rng, this.deps.scenario.session.idTags) ?? 'SIMTAG';
    await this.plugIn(c.id, tag, false);
  }

  #seedInitialOccupancy(): void {
    for (const c of this.connectors) {
      if (this.deps.rng.next() < this.deps.scenario.arrivals.initialOccupancy) void this.#arrive(c);
    }
  }

  // ---- StationControl: what server commands do ---------------------------------------------

  remoteStart(
    connectorId: number | undefined,
    idTag: string,
    remoteStartId: number | undefined,
  ): RemoteStartResult {
    const c =
      connectorId === undefined
        ? (this.connectors.find((x) => !x.session && !x.fault && x.operative && !x.plugged) ??
          this.connectors.find((x) => !x.session && !x.fault && x.operative))
        : this.connector(connectorId);
    if (!c || c.session || c.fault || !c.operative || this.#phase === StationPhase.Stopped)
      return { accepted: false };
    // The driver started from an app and plugs in: the vehicle is there from now on.
    c.plugged = true;
    c.leaveAtSimMs = undefined;
    this.#setStatus(c, ConnectorStatus.Preparing);
    if (this.settings.authorizeRemoteTxRequests) {
      void this.#authorizeAndStart(c, idTag, false, 'RemoteStart', remoteStartId);
      return { accepted: true, transactionId: undefined };
    }
    const session = this.#startSession(c, idTag, 'RemoteStart', remoteStartId, false);
    return { accepted: true, transactionId: session.transactionId };
  }

  remoteStop(match: (s: Session) => boolean): boolean {
    const c = this.connectors.find((x) => x.session && match(x.session));
    if (!c) return false;
    this.#endSession(c, StopReason.Remote);
    return true;
  }

  reset(kind: 'Soft' | 'Hard', whenIdle: boolean): 'Accepted' | 'Scheduled' {
    if (whenIdle && this.connectors.some((c) => c.session)) {
      this.#pendingReset = kind;
      return 'Scheduled';
    }
    // Answer first, then reboot (the CALLRESULT must leave before the socket closes).
    this.#setTimer('boot', 50, () => void this.reboot(kind, 1000, 'RemoteReset'));
    return 'Accepted';
  }

  unlock(connectorId: number): 'Unlocked' | 'UnknownConnector' {
    const c = this.connector(connectorId);
    if (!c) return 'UnknownConnector';
    if (c.session) this.#endSession(c, StopReason.UnlockCommand);
    c.plugged = false;
    c.leaveAtSimMs = undefined;
    this.#setStatus(c, this.#restingStatus(c));
    return 'Unlocked';
  }

  changeAvailability(connectorId: number, operative: boolean): 'Accepted' | 'Scheduled' | 'Rejected' {
    const targets = connectorId === 0 ? this.connectors : [this.connector(connectorId)];
    if (targets.some((c) => c === undefined)) return 'Rejected';
    let scheduled = false;
    for (const c of targets as Connector[]) {
      if (operative) {
        c.operative = true;
        c.inoperativeScheduled = false;
        if (c.status === ConnectorStatus.Unavailable) this.#setStatus(c, this.#restingStatus(c));
      } else if (c.session) {
        c.inoperativeScheduled = true;
        scheduled = true;
      } else {
        c.operative = false;
        if (!c.fault) this.#setStatus(c, ConnectorStatus.Unavailable);
      }
    }
    return scheduled ? 'Scheduled' : 'Accepted';
  }

  trigger(kind: TriggerKind, connectorId: number | undefined): 'Accepted' | 'Rejected' {
    const target = connectorId === undefined || connectorId === 0 ? undefined : this.connector(connectorId);
    if (connectorId !== undefined && connectorId !== 0 && !target) return 'Rejected';
    const { dialect } = this.deps;
    // Sent after the CALLRESULT, as the spec requires (OCPP 1.6 §5.17, 2.0.1 F06).
    this.deps.scheduler.setTimeout(() => {
      if (kind === 'BootNotification') void this.#boot('Triggered');
      else if (kind === 'Heartbeat') void this.#send(dialect.heartbeat());
      else if (kind === 'StatusNotification') {
        const calls = target
          ? dialect.statusNotifications(this, target)
          : dialect.statusNotifications(this, undefined);
        for (const call of calls) void this.#send(call);
      } else {
        for (const c of target ? [target] : this.connectors) {
          if (c.session) {
            this.#advance(c);
            this.#enqueue(dialect.txUpdated(this.#txContext(c, c.session, 'Trigger'), 'Trigger'));
          } else if (kind === 'MeterValues') {
            void this.#send(dialect.meterValues(c, this.#sample(c, 'Trigger')));
          }
        }
      }
    }, 0);
    return 'Accepted';
  }

  clearAuthCache(): void {
    this.#authCache.clear();
  }

  applySettings(patch: Partial<Settings>): void {
    Object.assign(this.settings, patch);
    if (patch.heartbeatIntervalS !== undefined && this.#phase === StationPhase.Accepted)
      this.#scheduleHeartbeat();
    if (patch.meterIntervalS !== undefined && this.#timers.has('meter')) this.#scheduleMeter();
  }

  #registerHandlers(client: RPCClient): void {
    for (const [action, handler] of Object.entries(this.deps.dialect.commands)) {
      client.handle(action, ({ params }) => {
        if (this.#phase === StationPhase.Stopped)
          throw new SwarmError(SwarmErrorCode.Stopped, 'station stopped');
        this.deps.emit({ type: 'command', identity: this.identity, action });
        return Promise.resolve(handler(params ?? {}, this));
      });
    }
  }

  // ---- timers -------------------------------------------------------------------------------

  #setTimer(name: TimerName, delayMs: number, fn: () => void): void {
    this.#clearTimer(name);
    const handle = this.deps.scheduler.setTimeout(() => {
      this.#timers.delete(name);
      fn();
    }, delayMs);
    this.#timers.set(name, handle);
  }

  #clearTimer(name: TimerName): void {
    const h = this.#timers.get(name);
    if (h !== undefined) this.deps.scheduler.clearTimeout(h);
    this.#timers.delete(name);
  }
}

/**
 * The OCPP error code of a CALLERROR (or of our own strict-mode refusal). Read structurally:
 * ocpp-rpc is CommonJS and its error classes are not named exports under Node's ESM loader.
 */
function rpcErrorCode(err: unknown): string | undefined {
  const code = (err as { rpcErrorCode?: unknown } | null)?.rpcErrorCode;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
