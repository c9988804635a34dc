/** The tenant's alert webhooks; the signing secret is generated here and shown once. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';

export interface WebhookView {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  createdAt: string;
}

interface Row {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  created_at: Date;
}
const toView = (r: Row): WebhookView => ({
  id: r.id,
  name: r.name,
  url: r.url,
  enabled: r.enabled,
  createdAt: r.created_at.toISOString(),
});

export interface WebhookStore {
  list(
    tenantId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: WebhookView[]; total: number }>;
  get(tenantId: string, id: string): Promise<WebhookView | null>;
  create(
    tenantId: string,
    b: { name: string; url: string; enabled: boolean },
  ): Promise<WebhookView & { secret: string }>;
  update(
    tenantId: string,
    id: string,
    p: { name?: string; url?: string; enabled?: boolean },
  ): Promise<WebhookView | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

export function createWebhookStore(db: Db): WebhookStore {
  const COLS = 'id, name, url, enabled, created_at';
  return {
    async list(tenantId, page) {
      const [{ rows }, { rows: count }] = await Promise.all([
        db.query<Row>(
          `SELECT ${COLS} FROM alert_webhooks WHERE tenant_id = $1 ORDER BY name, id LIMIT $2 OFFSET $3`,
          [tenantId, page.limit, page.offset],
        ),
        db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_webhooks WHERE tenant_id = $1', [
          tenantId,
        ]),
      ]);
      return { items: rows.map(toView), total: count[0]?.n ?? 0 };
    },
    async get(tenantId, id) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLS} FROM alert_webhooks WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] ? toView(rows[0]) : null;
    },
    async create(tenantId, b) {
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const { rows } = await db.query<Row>(
        `INSERT INTO alert_webhooks (tenant_id, name, url, secret, enabled) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${COLS}`,
        [tenantId, b.name, b.url, secret, b.enabled],
      );
      return { ...toView(rows[0]!), secret };
    },
    async update(tenantId, id, p) {
      const { rows } = await db.query<Row>(
        `UPDATE alert_webhooks SET name = coalesce($3, name), url = coalesce($4, url), enabled = coalesce($5, enabled)
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLS}`,
        [tenantId, id, p.name ?? null, p.url ?? null, p.enabled ?? null],
      );
      return rows[0] ? toView(rows[0]) : null;
    },
    async delete(tenantId, id) {
      const { rowCount } = await db.query('DELETE FROM alert_webhooks WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]);
      return (rowCount ?? 0) > 0;
    },
  };
}
