/**
 * One simulated charge point: connection lifecycle, boot, heartbeat, connectors and sessions,
 * and the ordered offline queue for transaction messages. Version-neutral; the dialect formats
 * every frame. This is the protocol state machine, so it is longer than most files.
 */
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import type { BootReason, Call, Dialect, RemoteStartResult, StationControl, TriggerKind } from './dialect.js';
import { UnknownConnectorError } from './errors.js';
import type { SwarmEventListener } from './events.js';
import {
  ConnectorStatus,
  StopReason,
  nominalVoltageV,
  type Connector,
  type Fault,
  type MeterSample,
  type Session,
  type Settings,
  type StartTrigger,
} from './model.js';
import type { Scenario, StationConfig } from './options.js';
import { uniform, type Rng } from './rng.js';
import { randomIdTag } from './behaviour.js';
import { NamedTimers } from './named-timers.js';
import { callCounted, createOcppClient, errorMessage } from './ocpp-client.js';
import { Outbox } from './outbox.js';
import type { Scheduler } from './scheduler.js';
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

export class SimStation implements StationControl {
  readonly identity: string;
  readonly connectors: Connector[];
  readonly settings: Settings;
  #phase: StationPhase = StationPhase.Offline;
  #client: RPCClient | undefined;
  #bootedThisPowerCycle = false;
  #everBooted = false;
  readonly #outbox: Outbox;
  readonly #timers: NamedTimers<TimerName>;
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
    this.#timers = new NamedTimers(deps.scheduler);
    this.#outbox = new Outbox({
      canSend: () => this.#phase === StationPhase.Accepted && this.online,
      call: (call) => this.#call(call),
      onEffect: (effect) => {
        if (effect.kind === 'deauthorize') this.#deauthorize(effect.localId);
      },
    });
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

  /** Has been accepted at least once: vehicles only come to a station that is in service. */
  get everBooted(): boolean {
    return this.#everBooted;
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
    this.#timers.clearAll();
    await this.#closeSocket(1000, 'Swarm stopping', false);
  }

  /** Network drop: the socket closes, charging goes on, transaction messages queue up. */
  async disconnect(durationMs?: number): Promise<void> {
    if (this.#phase === StationPhase.Stopped) return;
    this.#heldOffline = true;
    this.#timers.clear('reconnect');
    this.deps.emit({ type: 'network_drop', identity: this.identity, durationMs });
    await this.#closeSocket(1001, 'Network drop', true);
    if (durationMs !== undefined) this.#timers.set('reconnect', durationMs, () => void this.reconnect());
  }

  async reconnect(): Promise<void> {
    if (this.#phase === StationPhase.Stopped || this.online) return;
    this.#heldOffline = false;
    this.#timers.clear('reconnect');
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
    if (kind === 'Soft') await this.#outbox.drain();
    this.#heldOffline = true;
    this.#bootedThisPowerCycle = false;
    this.#timers.clear('heartbeat', 'meter', 'boot', 'reconnect');
    await this.#closeSocket(1012, 'Rebooting', true);
    this.#timers.set('reconnect', downtimeMs, () => {
      this.#heldOffline = false;
      void this.#connect(reason);
    });
  }

  async #connect(bootReason: BootReason = 'PowerUp'): Promise<void> {
    if (this.#phase === StationPhase.Stopped || this.#heldOffline) return;
    this.#phase = StationPhase.Connecting;
    const client = createOcppClient({
      identity: this.identity,
      url: this.config.url,
      version: this.deps.dialect.version,
      password: this.config.password,
      callTimeoutMs: this.deps.scenario.callTimeoutMs,
      commands: this.deps.dialect.commands,
      control: this,
      stats: this.deps.stats,
      emit: this.deps.emit,
      isStopped: () => this.#isStopped(),
      isSilenced: () => this.#phase === StationPhase.Rejected,
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
      this.#timers.set('reconnect', retryInMs, () => void this.#connect(bootReason));
      return;
    }
    if (this.#client !== client || this.#isStopped()) {
      await client.close({ code: 1000, force: true });
      return;
    }
    this.#reconnectAttempt = 0;
    client.once('close', (e: { code?: number }) => this.#onSocketClosed(client, e.code));
    this.deps.emit({ type: 'connected', identity: this.identity, ocppVersion: this.deps.dialect.version });
    if (this.#bootedThisPowerCycle) this.#resumeAccepted();
    else void this.#boot(bootReason);
  }

  #onSocketClosed(client: RPCClient, code: number | undefined): void {
    if (this.#client !== client) {
      this.deps.emit({ type: 'disconnected', identity: this.identity, code, intentional: true });
      return;
    }
    this.#client = undefined;
    this.#timers.clear('heartbeat');
    this.#timers.clear('boot');
    if (this.#phase !== StationPhase.Stopped) this.#phase = StationPhase.Offline;
    this.deps.emit({ type: 'disconnected', identity: this.identity, code, intentional: false });
    if (this.#phase !== StationPhase.Stopped && !this.#heldOffline) {
      this.#timers.set('reconnect', this.#backoffMs(), () => void this.#connect());
    }
  }

  async #closeSocket(code: number, reason: string, force: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    this.#timers.clear('heartbeat');
    this.#timers.clear('boot');
    if (this.#phase !== StationPhase.Stopped) this.#phase = StationPhase.Offline;
    await client.close({ code, reason, force }).catch(() => undefined);
  }

  #backoffMs(): number {
    const base = Math.min(maxReconnectDelayMs, 1000 * 2 ** this.#reconnectAttempt++);
    return Math.round(base * uniform(this.deps.rng, 0.5, 1));
  }

  // ---- boot and heartbeat -----------------------------------------------------------------

  async #boot(reason: BootReason): Promise<void> {
    const client = this.#client;
    if (!client || !this.online) return;
    this.#phase = StationPhase.Booting;
    const result = await this.#call(
      this.deps.dialect.bootNotification(this, this.config.model, reason),
    ).catch(() => undefined);
    // The socket this boot was for is gone (drop, reboot, stop): the next connection boots again.
    if (this.#client !== client) return;
    if (result === undefined) {
      if (this.online)
        this.#timers.set(
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
    this.#timers.set('boot', retryS * 1000, () => void this.#boot(reason));
  }

  #resumeAccepted(): void {
    this.#phase = StationPhase.Accepted;
    this.#scheduleHeartbeat();
    for (const call of this.deps.dialect.statusNotifications(this, undefined)) void this.#send(call);
    this.#scheduleMeter();
    void this.#outbox.drain();
  }

  #scheduleHeartbeat(): void {
    this.#timers.set('heartbeat', this.settings.heartbeatIntervalS * 1000, () => {
      if (this.#phase !== StationPhase.Accepted) return;
      void this.#send(this.deps.dialect.heartbeat());
      this.#scheduleHeartbeat();
    });
  }

  // ---- calls --------------------------------------------------------------------------------

  async #call(call: Call): Promise<unknown> {
    const client = this.#client;
    if (!client) throw new Error('not connected');
    return callCounted(client, call, {
      identity: this.identity,
      stats: this.deps.stats,
      emit: this.deps.emit,
    });
  }

  /** A non-transactional message: only while accepted, dropped if offline (statuses are resent on reconnect). */
  async #send(call: Call): Promise<unknown> {
    if (this.#phase !== StationPhase.Accepted || !this.online) return undefined;
    return this.#call(call).catch(() => undefined);
  }

  /** The server refused the idTag in its answer to the start: stop (StopTransactionOnInvalidId). */
  #deauthorize(localId: number): void {
    const c = this.connectors.find((x) => x.session?.localId === localId);
    if (c) this.#endSession(c, StopReason.DeAuthorized);
  }

  // ---- meter values and physics -----------------------------------------------------------

  #scheduleMeter(): void {
    this.#timers.set('meter', this.settings.meterIntervalS * 1000, () => {
      this.#meterTick();
      this.#scheduleMeter();
    });
  }

  #meterTick(): void {
    for (const c of this.connectors) {
      if (!c.session) continue;
      const wasSatisfied = c.session.satisfied;
      this.#advance(c);
      if (this.#outbox.hasRoomForPeriodic) {
        this.#outbox.push(
          this.deps.dialect.txUpdated(this.#txContext(c, c.session, 'Sample.Periodic'), 'MeterValuePeriodic'),
        );
      }
      if (!wasSatisfied && c.session.satisfied) {
        this.#setStatus(c, ConnectorStatus.SuspendedEV);
        this.#outbox.push(
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

  /** Settles a connector in its resting status; a scheduled Inoperative applies once it is free. */
  #settle(c: Connector): void {
    if (!c.session && c.inoperativeScheduled) {
      c.operative = false;
      c.inoperativeScheduled = false;
    }
    this.#setStatus(c, restingStatus(c));
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
    this.#outbox.push(this.deps.dialect.txStarted(this.#txContext(c, session, 'Transaction.Begin'), trigger));
    this.#setStatus(c, ConnectorStatus.Charging);
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
    this.#outbox.push(this.deps.dialect.txEnded(this.#txContext(c, s, 'Transaction.End'), reason));
    c.session = undefined;
    this.deps.stats.sessionsCompleted++;
    this.deps.emit({
      type: 'session_stopped',
      identity: this.identity,
      connectorId: c.id,
      reason,
      energyKWh: Math.round(s.deliveredWh) / 1000,
      offline: !this.online,
    });
    this.#settle(c);
    if (this.#pendingReset && this.connectors.every((x) => !x.session)) {
      const kind = this.#pendingReset;
      this.#pendingReset = undefined;
      this.#timers.set('boot', 0, () => void this.reboot(kind, 1000, 'RemoteReset'));
    }
  }

  /** The vehicle leaves: a running transaction ends with EVDisconnected. */
  unplug(connectorId: number): void {
    const c = this.requireConnector(connectorId);
    if (!c.plugged) return;
    c.plugged = false;
    c.leaveAtSimMs = undefined;
    if (c.session) this.#endSession(c, StopReason.EVDisconnected);
    this.#settle(c);
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
    // Faulted first, so the session's end leaves the connector Faulted rather than Finishing.
    c.plugged = false;
    c.fault = fault;
    this.deps.emit({ type: 'fault', identity: this.identity, connectorId, ...fault });
    this.#endSession(c, StopReason.Fault);
    this.#setStatus(c, ConnectorStatus.Faulted);
    const notice = this.deps.dialect.faultNotice(c, fault, false, this.#nextEventId++);
    if (notice) void this.#send(notice);
    if (durationMs !== undefined) {
      this.#timers.once(durationMs, () => {
        if (c.fault === fault) this.#clearFault(c);
      });
    }
  }

  #clearFault(c: Connector): void {
    const fault = c.fault;
    if (!fault) return;
    c.fault = undefined;
    this.deps.emit({ type: 'fault_cleared', identity: this.identity, connectorId: c.id });
    const notice = this.deps.dialect.faultNotice(c, fault, true, this.#nextEventId++);
    if (notice) void this.#send(notice);
    this.#settle(c);
  }

  // ---- behaviour -----------------------------------------------------------------------------

  #seedInitialOccupancy(): void {
    for (const c of this.connectors) {
      if (this.deps.rng.next() < this.deps.scenario.arrivals.initialOccupancy) {
        void this.plugIn(c.id, randomIdTag(this.deps.rng, this.deps.scenario), false);
      }
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
    // Not while Pending (OCPP 1.6 §4.2.1): only an accepted station takes remote starts.
    if (!c || c.session || c.fault || !c.operative || this.#phase !== StationPhase.Accepted) {
      return { accepted: false };
    }
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
    if (this.#phase !== StationPhase.Accepted) return false;
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
    this.#timers.set('boot', 50, () => void this.reboot(kind, 1000, 'RemoteReset'));
    return 'Accepted';
  }

  unlock(connectorId: number): 'Unlocked' | 'UnknownConnector' {
    const c = this.connector(connectorId);
    if (!c) return 'UnknownConnector';
    if (c.session) this.#endSession(c, StopReason.UnlockCommand);
    c.plugged = false;
    c.leaveAtSimMs = undefined;
    this.#settle(c);
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
        if (c.status === ConnectorStatus.Unavailable) this.#settle(c);
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
    this.#timers.once(0, () => {
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
            this.#outbox.push(dialect.txUpdated(this.#txContext(c, c.session, 'Trigger'), 'Trigger'));
          } else if (kind === 'MeterValues') {
            void this.#send(dialect.meterValues(c, this.#sample(c, 'Trigger')));
          }
        }
      }
    });
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
}

function restingStatus(c: Connector): ConnectorStatus {
  if (c.fault) return ConnectorStatus.Faulted;
  if (c.session) return c.session.satisfied ? ConnectorStatus.SuspendedEV : ConnectorStatus.Charging;
  if (!c.operative) return ConnectorStatus.Unavailable;
  return c.plugged ? ConnectorStatus.Finishing : ConnectorStatus.Available;
}
