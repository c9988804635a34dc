/** Graceful stop with stations connected: sockets closed with 1001, their disconnects committed, then JetStream gets them. */
import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../src/outbox/database.js';
import { charger, startTestAgent, tempDir } from './support/harness.js';
import { realProtocols } from './support/protocols.js';

describe('graceful shutdown', () => {
  it('closes station sockets and commits their disconnect events before returning', async () => {
    const dir = await tempDir();
    // No NATS reachable: the events must be in the outbox, not forwarded.
    const edge = await startTestAgent({
      natsUrl: 'nats://127.0.0.1:1',
      protocols: realProtocols,
      dataDir: dir.path,
    });
    const cp = charger(edge.url, 'STOP-1', 'ocpp1.6');
    await cp.connect();
    await cp.call('Heartbeat', {});
    const closed = new Promise<{ code: number }>((r) => cp.once('close', r));
    await edge.stop();
    expect((await closed).code).toBe(1001);

    const db = openEdgeDatabase(dir.path);
    const types = db
      .prepare<[], { body: string }>('SELECT body FROM outbox ORDER BY row_id')
      .all()
      .map((r) => (JSON.parse(r.body) as { event: { type: string } }).event.type);
    db.close();
    await dir.remove();
    expect(types).toEqual(['edge.status', 'station.connected', 'station.heartbeat', 'station.disconnected']);
  });
});
