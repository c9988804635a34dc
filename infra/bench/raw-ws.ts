/**
 * Raw limit: WebSocket request/response over loopback with the `ws` library alone — no OCPP framing,
 * validation or storage. The edge's own figures are read against this.
 */
import { WebSocket, WebSocketServer } from 'ws';
import { elapsedMs, latencyFigures, type Benchmark } from './stats.js';

const CLIENTS = 200;
const REQUESTS_PER_CLIENT = 500;

export const rawWs: Benchmark = {
  name: 'raw-ws',
  description: `ws request/response, ${CLIENTS} clients × ${REQUESTS_PER_CLIENT} sequential requests each, loopback`,
  async run(progress) {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const payload = JSON.stringify([2, 'id', 'Heartbeat', {}]);
    const latencies: number[] = [];

    progress(`connecting ${CLIENTS} clients`);
    const sockets = await Promise.all(
      Array.from({ length: CLIENTS }, () => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`);
        return new Promise<WebSocket>((resolve, reject) => {
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        });
      }),
    );
    progress(`sending ${CLIENTS * REQUESTS_PER_CLIENT} requests`);
    const start = process.hrtime.bigint();
    await Promise.all(
      sockets.map(async (ws) => {
        for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
          const sent = process.hrtime.bigint();
          await new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(payload);
          });
          latencies.push(elapsedMs(sent));
        }
      }),
    );
    const totalMs = elapsedMs(start);
    for (const ws of sockets) ws.close();
    await new Promise((r) => server.close(r));
    return [
      {
        metric: 'request/response rate',
        value: (CLIENTS * REQUESTS_PER_CLIENT) / (totalMs / 1000),
        unit: 'msg/s',
      },
      ...latencyFigures('reply latency', latencies),
    ];
  },
};
