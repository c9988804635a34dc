/** /health and /metrics: for load balancers and Prometheus, outside /api and without a session. */
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AppEnv } from '../env.js';

export interface HealthChecks {
  /** Resolves when PostgreSQL answers; rejects otherwise. */
  database(): Promise<void>;
  /** True while the NATS connection is up. */
  nats(): boolean;
}

export function opsRoutes(deps: { health: HealthChecks; registry: Registry }, app: Hono<AppEnv>): void {
  app.get('/health', async (c) => {
    const [database, nats] = await Promise.all([
      deps.health.database().then(
        () => true,
        () => false,
      ),
      Promise.resolve(deps.health.nats()),
    ]);
    if (database && nats) return c.json({ status: 'ok' as const }, 200);
    return c.json({ status: 'unavailable' as const, checks: { database, nats } }, 503);
  });

  app.get('/metrics', async (c) => {
    c.header('content-type', deps.registry.contentType);
    return c.body(await deps.registry.metrics());
  });
}
