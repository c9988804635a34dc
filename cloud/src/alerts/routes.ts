/** Registers every alert endpoint (rules, incidents, on-call groups, recipients, notifications). */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../api/env.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/pool.js';
import type { OncallStore } from './oncall-store.js';
import type { RecipientStore } from './recipient-store.js';
import { incidentRoutes } from './routes-incidents.js';
import { oncallRoutes } from './routes-oncall.js';
import { ruleRoutes } from './routes-rules.js';
import type { RuleStore } from './rule-store.js';
import type { Alerts } from './service.js';
import type { WebhookStore } from './webhook-store.js';

export interface AlertRouteDeps {
  db: Db;
  alerts: Alerts;
  rules: RuleStore;
  oncall: OncallStore;
  recipients: RecipientStore;
  webhooks: WebhookStore;
  audit: AuditLog;
}

export function alertRoutes(deps: AlertRouteDeps, app: OpenAPIHono<AppEnv>): void {
  ruleRoutes(deps, app);
  incidentRoutes(deps, app);
  oncallRoutes(deps, app);
}
