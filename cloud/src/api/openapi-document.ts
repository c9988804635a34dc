/**
 * The full OpenAPI document, without a database or NATS: every route is registered against
 * dependencies that refuse to be called (building the document never calls them), and the document
 * is read through the same endpoint the running cloud serves. Used to generate and check the web
 * app's API types.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApp, type AppDeps } from './app.js';

/** Any property is a function that throws: a route that runs a dependency here is a bug. */
function refuse(name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        if (property === 'then') return undefined;
        return () => {
          throw new Error(
            `openApiDocument: ${name}.${String(property)} must not run while building the document`,
          );
        };
      },
    },
  ) as never;
}

export async function openApiDocument(): Promise<unknown> {
  const deps: Required<AppDeps> = {
    log: pino({ level: 'silent' }),
    auth: refuse('auth'),
    stations: refuse('stations'),
    commands: refuse('commands'),
    audit: refuse('audit'),
    history: refuse('history'),
    ledger: refuse('ledger'),
    reports: refuse('reports'),
    billing: refuse('billing'),
    eventLog: refuse('eventLog'),
    settings: refuse('settings'),
    resources: refuse('resources'),
    alerts: refuse('alerts'),
    ops: { health: refuse('health'), registry: new Registry() },
    webDistDir: null,
  };
  const response = await createApp(deps).request('/api/openapi.json');
  if (!response.ok) throw new Error(`the OpenAPI document could not be built (HTTP ${response.status})`);
  return response.json();
}
