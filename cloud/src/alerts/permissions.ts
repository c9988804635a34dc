/**
 * Who may do what with alerts (docs/api.md, "Permissions"; web/src/domain/permissions.ts mirrors it):
 * - `alerts.view`: everyone signed in reads incidents of their scope and their own in-app inbox;
 * - `alerts.respond`: acknowledge and resolve incidents, read rules, on-call groups, recipients,
 *   webhooks and the notification history;
 * - `alerts.manage`: change rules, on-call groups, recipients' contact settings and webhooks (with a
 *   tenant-wide grant: these apply across sites).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { ROLES, type Role } from '../auth/roles.js';
import type { Identity } from '../auth/sessions.js';
import { requireRole, requireTenantWide } from '../resources/permissions.js';

export const ALERT_PERMISSIONS = {
  'alerts.view': ROLES,
  'alerts.respond': ['admin', 'operator', 'technician'],
  'alerts.manage': ['admin', 'operator'],
} as const satisfies Record<string, readonly Role[]>;
export type AlertPermission = keyof typeof ALERT_PERMISSIONS;

export function requireAlerts(c: Context<AppEnv>, permission: AlertPermission, what: string): Identity {
  const identity = requireRole(c, ALERT_PERMISSIONS[permission], what);
  if (permission === 'alerts.manage') requireTenantWide(identity, what);
  return identity;
}
