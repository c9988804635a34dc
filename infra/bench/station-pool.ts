/**
 * A lean pool of simulated OCPP 1.6 chargers on raw `ws` sockets: thousands of them in one process,
 * one outstanding CALL per connection (OCPP-J 1.6 §4.1.1) with later calls queued behind it, and
 * round-trip times measured from the moment a frame is written. The swarm (loadtest/swarm) is the
 * realistic simulator; this one trades behaviour for a small footprint per socket.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import {
  bootNotification,
  encodeCall,
  encodeNotImplemented,
  readFrame,
  statusNotification,
} from './ocpp-frames.js';

export class CallFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallFailedError';
  }
}

interface QueuedCall {
  action: string;
  payload: unknown;
  resolve: (rttMs: number) => void;
  reject: (error: Error) => void;
}

interface Station {
  identity: string;
  ws: WebSocket;
  seq: number;
  inFlight: (QueuedCall & { id: string; sentAt: number; timer: NodeJS.Timeout }) | null;
  queue: QueuedCall[];
  open: boolean;
}

export interface ConnectOutcome {
  connected: number;
  /** Failures by reason (first words of the error), e.g. `{ "EMFILE": 12 }`. */
  failures: Record<string, number>;
}

export class StationPool {
  private readonly stations: Station[] = [];
  /** Sockets the edge closed after they were connected and booted. */
  dropped = 0;

  constructor(
    private readonly ocppUrl: string,
    private readonly callTimeoutMs = 30_000,
  ) {}

  get size(): number {
    return this.stations.length;
  }

  identity(index: number): string {
    return this.stations[index]!.identity;
  }

  /**
   * Opens a socket per identity (at most `concurrency` handshakes at a time), sends BootNotification
   * and a StatusNotification for connector 1, and keeps the stations that got both answers.
   */
  async connect(identities: readonly string[], concurrency = 100): Promise<ConnectOutcome> {
    const failures: Record<string, number> = {};
    let next = 0;
    let connected = 0;
    const worker = async () => {
      while (next < identities.length) {
        const identity = identities[next++]!;
        try {
          const station = await this.open(identity);
          try {
            await this.callOn(station, 'BootNotification', bootNotification(identity));
            await this.callOn(station, 'StatusNotification', statusNotification(1, 'Available', new Date()));
          } catch (error) {
            station.open = false;
            station.ws.terminate();
            throw error;
          }
          this.stations.push(station);
          connected++;
        } catch (error) {
          const reason = reasonOf(error);
          failures[reason] = (failures[reason] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, identities.length) }, worker));
    return { connected, failures };
  }

  /** Queues a CALL on station `index`; resolves with its round trip in ms once the reply arrives. */
  call(index: number, action: string, payload: unknown): Promise<number> {
    return this.callOn(this.stations[index]!, action, payload);
  }

  private callOn(station: Station, action: string, payload: unknown): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (!station.open) {
        reject(new CallFailedError('closed', `${station.identity} is not connected`));
        return;
      }
      station.queue.push({ action, payload, resolve, reject });
      if (!station.inFlight) this.sendNext(station);
    });
  }

  async close(): Promise<void> {
    const closing = this.stations.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === WebSocket.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          const timer = setTimeout(() => s.ws.terminate(), 2_000);
          s.ws.once('close', () => clearTimeout(timer));
          s.ws.close(1000);
        }),
    );
    await Promise.all(closing);
    this.stations.length = 0;
  }

  private open(identity: string): Promise<Station> {
    const ws = new WebSocket(`${this.ocppUrl}/${encodeURIComponent(identity)}`, ['ocpp1.6'], {
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    const station: Station = { identity, ws, seq: 0, inFlight: null, queue: [], open: false };
    ws.on('message', (data: Buffer) => this.onMessage(station, data.toString('utf8')));
    ws.on('close', () => {
      if (station.open) this.dropped++;
      station.open = false;
      this.failAll(station, new CallFailedError('closed', `${identity}: socket closed`));
    });
    return new Promise<Station>((resolve, reject) => {
      ws.once('open', () => {
        station.open = true;
        ws.on('error', () => undefined);
        resolve(station);
      });
      ws.once('error', reject);
    });
  }

  private sendNext(station: Station): void {
    const next = station.queue.shift();
    if (!next) return;
    const id = String(++station.seq);
    const timer = setTimeout(() => {
      station.inFlight = null;
      next.reject(new CallFailedError('timeout', `${next.action} timed out`));
      this.sendNext(station);
    }, this.callTimeoutMs);
    station.inFlight = { ...next, id, sentAt: performance.now(), timer };
    station.ws.send(encodeCall(id, next.action, next.payload));
  }

  private onMessage(station: Station, text: string): void {
    const frame = readFrame(text);
    if (frame.kind === 'call') {
      station.ws.send(encodeNotImplemented(frame.id, frame.action));
      return;
    }
    const call = station.inFlight;
    if (frame.kind === 'unreadable' || !call || call.id !== frame.id) return;
    clearTimeout(call.timer);
    station.inFlight = null;
    if (frame.kind === 'result') call.resolve(performance.now() - call.sentAt);
    else call.reject(new CallFailedError(frame.code, `${call.action}: ${frame.code} ${frame.description}`));
    this.sendNext(station);
  }

  private failAll(station: Station, error: Error): void {
    if (station.inFlight) {
      clearTimeout(station.inFlight.timer);
      station.inFlight.reject(error);
      station.inFlight = null;
    }
    for (const call of station.queue.splice(0)) call.reject(error);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof CallFailedError) return error.code;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string') return e.code;
  return String(e.message ?? error).slice(0, 60);
}
