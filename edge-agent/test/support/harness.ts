/**
 * Test harness for the edge runtime: an agent on a free port with its own data dir, the VM_EVENTS
 * stream created as the cloud would, a reader for what reached JetStream, and chargers built on
 * ocpp-rpc's RPCClient.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeEnvelope,
  EVENTS_SUBJECT_ROOT,
  encodeToken,
  STREAM_EVENTS,
  siteConfigBucket,
  siteConfigKeys,
  type Envelope,
  type SitePolicy,
  type OcppVersion,
} from '@voltmesh/contract';
import { RPCClient } from 'ocpp-rpc';
import { startEdgeAgent, type EdgeAgent, type EdgeAgentDeps } from '../../src/agent.js';
import type { EdgeConfig } from '../../src/config.js';
import type { ProtocolBindings } from '../../src/protocols.js';

let siteCounter = 0;
export function uniqueSiteId(prefix = 'site'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${siteCounter++}`;
}

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'voltmesh-edge-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface TestAgent {
  agent: EdgeAgent;
  url: string;
  siteId: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestAgent(options: {
  natsUrl: string;
  protocols: ProtocolBindings;
  siteId?: string;
  dataDir?: string;
  acceptUnknownStations?: boolean;
  config?: Partial<EdgeConfig>;
  tuning?: EdgeAgentDeps['tuning'];
  observer?: EdgeAgentDeps['observer'];
}): Promise<TestAgent> {
  const dir = options.dataDir ? null : await tempDir();
  const dataDir = options.dataDir ?? dir!.path;
  const siteId = options.siteId ?? uniqueSiteId();
  const agent = await startEdgeAgent({
    config: {
      siteId,
      natsUrl: options.natsUrl,
      natsAuth: null,
      ocppHost: '127.0.0.1',
      ocppPort: 0,
      tls: null,
      dataDir,
      acceptUnknownStations: options.acceptUnknownStations ?? true,
      outboxBudgetBytes: 1024 * 1024 * 1024,
      logLevel: 'silent',
      ...options.config,
    },
    protocols: options.protocols,
    tuning: { natsRetryMs: 100, ...options.tuning },
    ...(options.observer ? { observer: options.observer } : {}),
  });
  return {
    agent,
    url: `ws://127.0.0.1:${agent.port}/ocpp`,
    siteId,
    dataDir,
    async stop() {
      await agent.stop();
      await dir?.remove();
    },
  };
}

/** Creates the events stream the way the cloud does (idempotent). */
export async function ensureEventsStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(STREAM_EVENTS);
  } catch {
    await jsm.streams.add({
      name: STREAM_EVENTS,
      subjects: [`${EVENTS_SUBJECT_ROOT}.>`],
      storage: 'file',
      duplicate_window: 120_000_000_000,
    });
  }
}

/** Every envelope stored in the stream for one site, in stream order. */
export async function readSiteEvents(nc: NatsConnection, siteId: string): Promise<Envelope[]> {
  const jsm = await jetstreamManager(nc);
  const filter = `${EVENTS_SUBJECT_ROOT}.${encodeToken(siteId)}.>`;
  const info = await jsm.consumers.add(STREAM_EVENTS, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    filter_subject: filter,
    inactive_threshold: 30_000_000_000,
  });
  const consumer = await jetstream(nc).consumers.get(STREAM_EVENTS, info.name);
  const out: Envelope[] = [];
  let pending = info.num_pending;
  while (pending > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 500), expires: 2000 });
    let got = 0;
    for await (const m of batch) {
      out.push(decodeEnvelope(m.data));
      got++;
    }
    if (got === 0) break;
    pending -= got;
  }
  await jsm.consumers.delete(STREAM_EVENTS, info.name).catch(() => undefined);
  return out;
}

/** Polls until `read` returns something `done` accepts; bounded by `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type ChargerCallHandler = (call: { method: string; params: unknown; messageId: string }) => unknown;

/** The part of ocpp-rpc's RPCClient the tests use, with handler types loose enough for fakes. */
export interface TestCharger {
  connect(): Promise<unknown>;
  call(method: string, params?: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  handle(method: string, handler: ChargerCallHandler): void;
  handle(handler: ChargerCallHandler): void;
  sendRaw(message: string): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}

export function charger(
  url: string,
  identity: string,
  version: OcppVersion,
  extra: Record<string, unknown> = {},
): TestCharger {
  const options = {
    endpoint: url,
    identity,
    protocols: [version],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: 10_000,
    ...extra,
  };
  return new RPCClient(
    options as unknown as ConstructorParameters<typeof RPCClient>[0],
  ) as unknown as TestCharger;
}

export async function natsConnect(url: string): Promise<NatsConnection> {
  return connect({ servers: url });
}

/** The site-config bucket as the cloud would create and fill it (keys and values: `@voltmesh/contract`). */
export async function createSiteConfig(nc: NatsConnection, siteId: string) {
  const kv = await new Kvm(nc).create(siteConfigBucket(siteId), { history: 1 });
  const put = (key: string, value: unknown) => kv.put(key, JSON.stringify(value));
  return {
    kv,
    putToken: (idToken: string, status = 'accepted') =>
      put(siteConfigKeys.token(idToken), {
        idToken,
        type: 'ISO14443',
        status,
        expiresAt: null,
        groupId: null,
      }),
    putStation: (identity: string, passwordHash: string | null, securityProfile = 1, enabled = true) =>
      put(siteConfigKeys.station(identity), { identity, passwordHash, securityProfile, enabled }),
    putPolicy: (
      unknownTokenWhileOffline: 'accept' | 'reject',
      heartbeatIntervalS = 300,
      more: Partial<Pick<SitePolicy, 'unknownStations' | 'bootRetryIntervalS'>> = {},
    ) => put(siteConfigKeys.policy, { unknownTokenWhileOffline, heartbeatIntervalS, ...more }),
  };
}
