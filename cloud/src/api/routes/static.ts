/** Serves the built web app: files from WEB_DIST_DIR, and index.html for client-side routes. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';

const SERVER_PREFIXES = ['/api/', '/socket.io/', '/health', '/metrics'];

export function staticRoutes(webDistDir: string, app: Hono<AppEnv>): void {
  const owned = (path: string) =>
    SERVER_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
  const files = serveStatic({ root: webDistDir });
  app.get('*', async (c, next) => (owned(c.req.path) ? next() : files(c, next)));
  app.get('*', async (c, next) => {
    if (owned(c.req.path) || !(c.req.header('accept') ?? '').includes('text/html')) return next();
    const html = await readFile(join(webDistDir, 'index.html'), 'utf8');
    c.header('cache-control', 'no-cache');
    return c.html(html);
  });
}
