/**
 * The OCPP-J endpoint: one HTTP(S) server hosting `/ocpp/<stationId>` WebSockets (ocpp-rpc, strict
 * schema validation both ways, one outstanding CALL per direction) beside plain HTTP routes
 * (health, metrics). Handshake checks run in order: path and identity, subprotocol, credentials,
 * takeover rule. See docs/edge-agent.md for the takeover rule.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { OCPP_VERSIONS, type OcppVersion } from '@voltmesh/contract';
import { RPCServer } from '../ocpp-rpc.js';
import type { TlsConfig } from '../config.js';
import type { Clock } from '../handler-types.js';
import type { Outbox } from '../outbox/outbox.js';
import type { ProtocolBindings } from '../protocols.js';
import { decideRegistration, type Registration } from '../registration/registration.js';
import type { SiteConfigStore } from '../site-config/site-config-store.js';
import type { StationStateStore } from '../state/sqlite-station-state.js';
import { createCallDispatcher, type CallReport } from './call-dispatcher.js';
import { rewriteOutgoingFrame } from './call-errors.js';
import { checkHandshake } from './identity.js';
import { VerifiedPasswordCache } from './station-auth.js';
import { sleep } from '../sleep.js';

const TAKEOVER_GRACE_MS = 2000;
const SHUTDOWN_GRACE_MS = 2000;
/** How long after its answer a solicited message (e.g. the one a TriggerMessage asked for) is let through. */
const SOLICITED_WINDOW_MS = 60_000;

interface RpcServerClient {
  identity: string;
  protocol: string;
  session: StationSessionInfo;
  handshake: { remoteAddress: string | undefined };
  sendRaw(message: string): void;
  handle(
    method: string,
    handler: (call: { messageId: string; method: string; params: unknown }) => unknown,
  ): void;
  call(method: string, params: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  once(event: 'close', listener: (e: { code: number; reason: string }) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  /** ocpp-rpc's underlying socket (private API, used only to cut a socket stuck in closing). */
  _ws?: { terminate(): void };
}

interface StationSessionInfo {
  stationId: string;
  securityProfile: number;
  authenticated: boolean;
}

export interface ConnectedStation {
  stationId: string;
  version: OcppVersion;
  /** The registration the edge holds the station to; null if it has not booted here (not gated). */
  registration(): Registration | null;
  call(action: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
}

export interface TransportObserver {
  onCall?: (report: CallReport) => void;
  onConnected?: (info: { stationId: string; version: OcppVersion; securityProfile: number }) => void;
  onDisconnected?: (info: { stationId: string; version: OcppVersion; code: number; reason: string }) => void;
  onRefused?: (info: {
    status: number;
    message: string;
    remoteAddress: string | undefined;
    url: string | undefined;
  }) => void;
  onBadMessage?: (info: { stationId: string; error: unknown }) => void;
  onBackgroundError?: (error: unknown) => void;
}

export interface OcppServerOptions {
  siteId: string;
  host: string;
  port: number;
  tls: TlsConfig | null;
  acceptUnknownStations: boolean;
  pingIntervalMs?: number;
  callTimeoutMs?: number;
  maxPayloadBytes?: number;
}

export interface OcppServerDeps {
  options: OcppServerOptions;
  protocols: ProtocolBindings;
  outbox: Outbox;
  state: StationStateStore;
  siteConfig: SiteConfigStore;
  clock: Clock;
  observer?: TransportObserver;
  /** Plain HTTP requests (not upgrades); returns false to get a 404. */
  httpHandler?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

interface Session {
  client: RpcServerClient;
  version: OcppVersion;
  /** Charger actions the edge asked for while the station is not accepted -> allowed until (epoch ms). */
  solicited: Map<string, number>;
  /** Settles when the socket's close event has been handled. */
  closed: Promise<void>;
}

export class OcppServer {
  private readonly rpc: RPCServer;
  private readonly sessions = new Map<string, Session>();
  private readonly passwords = new VerifiedPasswordCache();
  private readonly closing = new Set<Promise<void>>();
  private http: Server | undefined;

  constructor(private readonly deps: OcppServerDeps) {
    const o = deps.options;
    this.rpc = new RPCServer({
      protocols: ['ocpp2.0.1', 'ocpp1.6'],
      strictMode: true,
      callConcurrency: 1,
      callTimeoutMs: o.callTimeoutMs ?? 30_000,
      pingIntervalMs: o.pingIntervalMs ?? 30_000,
      respondWithDetailedErrors: false,
      wssOptions: { maxPayload: o.maxPayloadBytes ?? 512 * 1024 },
    });
    this.rpc.auth((accept, reject, handshake) => {
      this.authenticate(handshake as unknown as Handshake).then(
        (decision) => {
          if ('refuse' in decision) {
            this.deps.observer?.onRefused?.({
              status: decision.refuse,
              message: decision.message,
              remoteAddress: handshake.remoteAddress,
              url: handshake.request.url,
            });
            reject(decision.refuse, decision.message);
          } else {
            accept(decision.session);
          }
        },
        (error: unknown) => {
          this.deps.observer?.onBackgroundError?.(error);
          reject(500, 'internal error during authentication');
        },
      );
    });
    this.rpc.on('client', (client: unknown) => this.attach(client as RpcServerClient));
  }

  async listen(): Promise<number> {
    const o = this.deps.options;
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (!this.deps.httpHandler?.(req, res)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      }
    };
    const server = o.tls
      ? createHttpsServer(
          {
            cert: o.tls.cert,
            key: o.tls.key,
            ca: o.tls.ca ?? undefined,
            requestCert: o.tls.ca !== null,
            rejectUnauthorized: false,
          },
          onRequest,
        )
      : createHttpServer(onRequest);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    this.http = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : o.port;
  }

  connectedStations(): number {
    return this.sessions.size;
  }

  station(stationId: string): ConnectedStation | undefined {
    const s = this.sessions.get(stationId);
    if (!s) return undefined;
    return {
      stationId,
      version: s.version,
      registration: () => this.effectiveRegistration(stationId),
      call: (action, payload, timeoutMs) => this.callStation(s, stationId, action, payload, timeoutMs),
    };
  }

  /**
   * The registration the call gate applies: the last BootNotification answer; for a station the
   * site config does not list and that was admitted only by the `pending` policy, `pending` even
   * before its first BootNotification (it may send nothing else first). A listed station that never
   * booted here is not gated: chargers reconnecting after a network blip do not always boot again.
   */
  effectiveRegistration(stationId: string): Registration | null {
    const stored = this.deps.state.registration(stationId);
    if (stored !== null) return stored;
    if (this.deps.options.acceptUnknownStations || this.deps.siteConfig.station(stationId)) return null;
    return 'pending';
  }

  /**
   * The cloud changed a station's entry: a connected station parked as Pending that the new entry
   * accepts is asked to boot again now rather than after its retry interval (TriggerMessage
   * BootNotification, allowed while Pending in both versions).
   */
  async retriggerBoot(stationId: string): Promise<'triggered' | 'not_needed'> {
    const s = this.sessions.get(stationId);
    if (!s || this.effectiveRegistration(stationId) !== 'pending') return 'not_needed';
    const decided = decideRegistration({
      entry: this.deps.siteConfig.station(stationId),
      session: s.client.session,
      policy: this.deps.siteConfig.policy(),
      acceptUnknownStations: this.deps.options.acceptUnknownStations,
    });
    if (decided !== 'accepted') return 'not_needed';
    const encoded = this.deps.protocols[s.version].commands.encode({
      type: 'trigger_message',
      message: 'boot_notification',
      evseId: null,
    });
    if ('unsupported' in encoded) return 'not_needed';
    await this.callStation(
      s,
      stationId,
      encoded.action,
      encoded.payload,
      this.deps.options.callTimeoutMs ?? 30_000,
    );
    return 'triggered';
  }

  /**
   * Sends a CALL to a station. While the station is Pending, the charger messages this CALL asks
   * for are let through the gate from before it is sent (the answer and the triggered message may
   * arrive back to back) until SOLICITED_WINDOW_MS after the answer; a refusal withdraws them.
   */
  private async callStation(
    s: Session,
    stationId: string,
    action: string,
    payload: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<unknown> {
    const pending = this.effectiveRegistration(stationId) === 'pending';
    const solicited = pending ? this.deps.protocols[s.version].registration.solicitedBy(action, payload) : [];
    const now = () => this.deps.clock.now().getTime();
    for (const a of solicited) s.solicited.set(a, now() + timeoutMs + SOLICITED_WINDOW_MS);
    let accepted = false;
    try {
      const reply = await s.client.call(action, payload, { callTimeoutMs: timeoutMs });
      const status = (reply as { status?: unknown } | null)?.status;
      accepted = status === undefined || status === 'Accepted';
      return reply;
    } finally {
      for (const a of solicited) {
        if (accepted) s.solicited.set(a, now() + SOLICITED_WINDOW_MS);
        else s.solicited.delete(a);
      }
    }
  }

  /** Stops accepting connections, then closes every station socket. */
  async close(): Promise<void> {
    const http = this.http;
    // Stop accepting first; the HTTP server's close callback only fires once the station sockets
    // (upgraded connections) are gone, so wait for it after closing them.
    const httpClosed = http ? new Promise<void>((resolve) => http.close(() => resolve())) : Promise.resolve();
    http?.closeIdleConnections();
    // Close every station socket with 1001 (going away), give peers a moment to answer the close
    // handshake, then cut whatever is left; each close event queues its disconnect event.
    const sessions = [...this.sessions.values()];
    for (const s of sessions)
      s.client.close({ code: 1001, reason: 'edge agent shutting down' }).catch(() => undefined);
    await Promise.race([Promise.all(sessions.map((s) => s.closed)), sleep(SHUTDOWN_GRACE_MS)]);
    for (const s of sessions) s.client._ws?.terminate();
    await this.rpc.close({ code: 1001, reason: 'edge agent shutting down', force: true });
    await Promise.race([Promise.all(this.closing), sleep(SHUTDOWN_GRACE_MS)]);
    http?.closeAllConnections();
    await httpClosed;
    this.http = undefined;
  }

  /** Early-return ladder; ocpp-rpc gets only requests that passed it. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const check = checkHandshake(req.url, req.headers['sec-websocket-protocol']);
    if (!check.ok) {
      this.deps.observer?.onRefused?.({
        status: check.status,
        message: check.message,
        remoteAddress: req.socket.remoteAddress,
        url: req.url,
      });
      refuseUpgrade(socket, check.status, check.message);
      return;
    }
    void this.rpc.handleUpgrade(req, socket as never, head);
  }

  private async authenticate(
    h: Handshake,
  ): Promise<{ session: StationSessionInfo } | { refuse: number; message: string }> {
    const identity = h.identity;
    const entry = this.deps.siteConfig.station(identity);
    const tlsSocket = h.request.socket as Partial<TLSSocket>;
    const encrypted = tlsSocket.encrypted === true;
    let authenticated = false;
    let securityProfile = 0;

    if (!entry) {
      // Unlisted identities connect unauthenticated only in development or when the site parks them
      // as pending (their BootNotification is then answered Pending; see call-dispatcher.ts).
      const parked = this.deps.siteConfig.policy().unknownStations === 'pending';
      if (!this.deps.options.acceptUnknownStations && !parked)
        return { refuse: 404, message: `unknown station "${identity}"` };
    } else if (entry.securityProfile === 3) {
      if (!encrypted || tlsSocket.authorized !== true) {
        return {
          refuse: 401,
          message: 'security profile 3 needs a client certificate signed by the site CA',
        };
      }
      const cn = tlsSocket.getPeerCertificate?.().subject?.CN;
      if (cn !== identity)
        return { refuse: 401, message: 'client certificate CN must equal the station identity' };
      authenticated = true;
      securityProfile = 3;
    } else if (entry.securityProfile >= 1) {
      if (entry.securityProfile === 2 && !encrypted)
        return { refuse: 401, message: 'security profile 2 needs TLS' };
      if (h.password === undefined) {
        const hasHeader = h.headers.authorization !== undefined;
        return {
          refuse: 401,
          message: hasHeader ? 'Basic auth username must equal the station identity' : 'Basic auth required',
        };
      }
      if (!entry.passwordHash || !(await this.passwords.verify(identity, entry.passwordHash, h.password))) {
        return { refuse: 401, message: 'wrong password' };
      }
      authenticated = true;
      securityProfile = entry.securityProfile;
    }

    const existing = this.sessions.get(identity);
    if (existing) {
      if (!authenticated) {
        return {
          refuse: 409,
          message: 'station is already connected; an unauthenticated connection cannot replace it',
        };
      }
      // Close the old socket before accepting the new one. A dead peer never answers the close
      // handshake, so give it a moment and then cut the socket (ocpp-rpc ignores close({ force })
      // once closing has begun).
      existing.client
        .close({ code: 1000, reason: 'replaced by a new authenticated connection' })
        .catch(() => undefined);
      await Promise.race([existing.closed, sleep(TAKEOVER_GRACE_MS)]);
      existing.client._ws?.terminate();
      await existing.closed;
    }
    return { session: { stationId: identity, securityProfile, authenticated } };
  }

  private attach(client: RpcServerClient): void {
    const info = client.session;
    const version = OCPP_VERSIONS.find((v) => v === client.protocol);
    if (!version) {
      void client.close({ code: 1002, reason: 'no OCPP subprotocol negotiated', force: true });
      return;
    }
    const { stationId } = info;
    let closed!: () => void;
    const closedPromise = new Promise<void>((resolve) => (closed = resolve));
    this.closing.add(closedPromise);
    const session: Session = { client, version, solicited: new Map(), closed: closedPromise };
    this.sessions.set(stationId, session);
    const { observer } = this.deps;

    const send = client.sendRaw.bind(client);
    client.sendRaw = (frame: string) => send(rewriteOutgoingFrame(version, frame));

    const dispatch = createCallDispatcher({
      siteId: this.deps.options.siteId,
      stationId,
      version,
      handlers: this.deps.protocols[version].handlers,
      outbox: this.deps.outbox,
      state: this.deps.state,
      siteConfig: this.deps.siteConfig,
      clock: this.deps.clock,
      session: info,
      acceptUnknownStations: this.deps.options.acceptUnknownStations,
      registration: () => this.effectiveRegistration(stationId),
      isSolicited: (action) => (session.solicited.get(action) ?? 0) >= this.deps.clock.now().getTime(),
      onCall: observer?.onCall,
    });
    for (const action of Object.keys(this.deps.protocols[version].handlers)) {
      client.handle(action, (call) => dispatch(call));
    }
    client.on('badMessage', (e) =>
      observer?.onBadMessage?.({ stationId, error: (e as { error: unknown }).error }),
    );

    const remoteAddress = client.handshake.remoteAddress ?? null;
    this.appendEdgeEvent(stationId, {
      type: 'station.connected',
      ocppVersion: version,
      securityProfile: info.securityProfile,
      remoteAddress: remoteAddress === null ? null : remoteAddress.slice(0, 64),
    });
    observer?.onConnected?.({ stationId, version, securityProfile: info.securityProfile });

    client.once('close', ({ code, reason }) => {
      this.closing.delete(closedPromise);
      if (this.sessions.get(stationId) === session) this.sessions.delete(stationId);
      this.appendEdgeEvent(stationId, {
        type: 'station.disconnected',
        code: code ?? 1006,
        reason: String(reason ?? '').slice(0, 256),
      });
      observer?.onDisconnected?.({ stationId, version, code, reason: String(reason ?? '') });
      closed();
    });
  }

  private appendEdgeEvent(stationId: string, event: Parameters<Outbox['append']>[0][number]['event']): void {
    this.deps.outbox
      .append([
        { stationId, occurredAt: this.deps.clock.now().toISOString(), source: { kind: 'edge' }, event },
      ])
      .catch((error: unknown) => this.deps.observer?.onBackgroundError?.(error));
  }
}

interface Handshake {
  identity: string;
  password: Buffer | undefined;
  headers: IncomingMessage['headers'];
  request: IncomingMessage;
  remoteAddress: string | undefined;
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.writable) {
    const body = JSON.stringify({ error: message });
    socket.write(
      `HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function statusText(status: number): string {
  return (
    (
      { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict' } as Record<number, string>
    )[status] ?? 'Error'
  );
}
