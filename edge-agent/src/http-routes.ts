/** Plain HTTP routes beside the OCPP endpoint: `GET /health` (JSON) and `GET /metrics` (Prometheus). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthSnapshot {
  status: 'ok';
  siteId: string;
  connectedStations: number;
  outbox: { depth: number; oldestAgeS: number };
  nats: { connected: boolean };
  forwardRatePerS: number;
}

export function createHttpRoutes(health: () => HealthSnapshot, registry: Registry) {
  return function httpRoutes(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(health()));
      return true;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics unavailable\n');
        },
      );
      return true;
    }
    return false;
  };
}
