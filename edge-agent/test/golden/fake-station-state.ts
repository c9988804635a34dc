/**
 * In-memory StationState for protocol tests: the same observable behaviour the runtime promises
 * (replayed starts keep their id, stops and TransactionEvent seqNos count once), configured from
 * plain JSON so golden fixtures can describe it.
 */
import type { IdToken } from '@voltmesh/contract';
import type {
  AuthDecision,
  BootPolicy,
  HandlerContext,
  StationState,
  TransactionRef,
} from '../../src/handler-types.js';

export interface FakeAuth {
  status: AuthDecision['status'];
  expiresAt?: string | null;
  groupId?: string | null;
  decidedBy?: AuthDecision['decidedBy'];
}

export interface FakeStateSpec {
  /** Decision per token id; tokens not listed get `defaultAuth`. */
  auth?: Record<string, FakeAuth>;
  defaultAuth?: FakeAuth;
  /** First id handed out by startTransaction. */
  nextTransactionId?: number;
  transactions?: (TransactionRef & { stopped?: boolean })[];
  /** [transactionId, seqNo] pairs already recorded. */
  seenTransactionEvents?: [string, number][];
}

export class FakeStationState implements StationState {
  readonly calls: { method: keyof StationState; args: unknown[] }[] = [];
  private nextId: number;
  private readonly transactions = new Map<string, TransactionRef & { stopped: boolean; startKey?: string }>();
  private readonly seen = new Set<string>();

  constructor(private readonly spec: FakeStateSpec = {}) {
    this.nextId = spec.nextTransactionId ?? 1;
    for (const tx of spec.transactions ?? []) {
      this.transactions.set(tx.transactionId, { ...tx, stopped: tx.stopped ?? false });
    }
    for (const [id, seqNo] of spec.seenTransactionEvents ?? []) this.seen.add(JSON.stringify([id, seqNo]));
  }

  startTransaction(start: { evseId: number; idToken: IdToken; startedAt: string; meterStartWh: number }) {
    this.calls.push({ method: 'startTransaction', args: [start] });
    const startKey = JSON.stringify([start.evseId, start.idToken.id, start.startedAt]);
    for (const tx of this.transactions.values()) {
      if (tx.startKey === startKey) return { transactionId: Number(tx.transactionId), replay: true };
    }
    const transactionId = this.nextId++;
    this.transactions.set(String(transactionId), {
      transactionId: String(transactionId),
      evseId: start.evseId,
      connectorId: start.evseId === 0 ? 0 : 1,
      idToken: start.idToken,
      meterStartWh: start.meterStartWh,
      stopped: false,
      startKey,
    });
    return { transactionId, replay: false };
  }

  findTransaction(transactionId: string): TransactionRef | null {
    this.calls.push({ method: 'findTransaction', args: [transactionId] });
    const tx = this.transactions.get(transactionId);
    if (!tx) return null;
    const { transactionId: id, evseId, connectorId, idToken, meterStartWh } = tx;
    return { transactionId: id, evseId, connectorId, idToken, meterStartWh };
  }

  stopTransaction(transactionId: string): boolean {
    this.calls.push({ method: 'stopTransaction', args: [transactionId] });
    const tx = this.transactions.get(transactionId);
    if (!tx || tx.stopped) return false;
    tx.stopped = true;
    return true;
  }

  markTransactionEvent(transactionId: string, seqNo: number): boolean {
    this.calls.push({ method: 'markTransactionEvent', args: [transactionId, seqNo] });
    const key = JSON.stringify([transactionId, seqNo]);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  authorize(idToken: IdToken): AuthDecision {
    this.calls.push({ method: 'authorize', args: [idToken] });
    const auth = this.spec.auth?.[idToken.id] ?? this.spec.defaultAuth ?? { status: 'accepted' };
    return {
      status: auth.status,
      expiresAt: auth.expiresAt ? new Date(auth.expiresAt) : null,
      groupId: auth.groupId ?? null,
      decidedBy: auth.decidedBy ?? 'local_list',
    };
  }
}

export interface FakeContextSpec {
  now?: string;
  ocppVersion?: HandlerContext['ocppVersion'];
  bootPolicy?: BootPolicy;
  state?: FakeStateSpec | FakeStationState;
}

/** A HandlerContext with a fixed clock; pass the same FakeStationState to chain messages. */
export function fakeContext(spec: FakeContextSpec = {}): HandlerContext & { state: FakeStationState } {
  const now = new Date(spec.now ?? '2026-01-15T10:00:00.000Z');
  const state = spec.state instanceof FakeStationState ? spec.state : new FakeStationState(spec.state);
  return {
    siteId: 'site-1',
    stationId: 'CP-1',
    ocppVersion: spec.ocppVersion ?? 'ocpp1.6',
    messageId: 'msg-1',
    clock: { now: () => now },
    state,
    bootPolicy: spec.bootPolicy ?? { registration: 'accepted', heartbeatIntervalS: 300 },
  };
}
