/**
 * Child-process entry for edge-capacity's raw limit: a bare `ws` server on WS_ECHO_PORT that answers
 * every OCPP CALL with an empty CALLRESULT — the memory floor of holding a WebSocket per charger in
 * Node, without OCPP, validation or state. GET / answers 200 once it listens.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.env['WS_ECHO_PORT']);
const http = createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (protocols) => [...protocols][0] ?? false,
});
http.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) =>
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as unknown[];
      if (frame[0] === 2) ws.send(JSON.stringify([3, frame[1], {}]));
    }),
  ),
);
http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
