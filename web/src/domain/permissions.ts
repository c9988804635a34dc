/**
 * What each role may use in the dashboard. The server enforces RBAC; this table only decides what
 * to show, so a role never sees a page that would answer 403.
 */
import type { Role } from '../api/types';

export const PERMISSIONS = [
  'monitoring.view',
  'stations.command',
  'audit.view',
  'sites.manage',
  'stations.manage',
  'tokens.view',
  'tokens.manage',
  'users.manage',
  'settings.view',
  'settings.manage',
  'sessions.view',
  'sessions.dispute',
  'tariffs.view',
  'tariffs.manage',
  'alerts.view',
  'alerts.respond',
  'alerts.rules',
  'alerts.manage',
  'notifications.view',
  'ledger.view',
  'ledger.manage',
  'reports.view',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Permission, readonly Role[]> = {
  'monitoring.view': ['admin', 'operator', 'technician', 'analyst', 'viewer'],
  /** Remote commands and force-stop (the cloud answers 403 auth.forbidden to the others). */
  'stations.command': ['admin', 'operator', 'technician'],
  'audit.view': ['admin'],
  /** Cities, sites and edge credentials. */
  'sites.manage': ['admin'],
  /** Register, edit, place and approve stations; connectors; station passwords. */
  'stations.manage': ['admin', 'operator'],
  /** The Tokens page (holders carry personal data, so not viewers). */
  'tokens.view': ['admin', 'operator', 'technician', 'analyst'],
  'tokens.manage': ['admin', 'operator'],
  /** Users, grants and password resets (the cloud also wants the grant tenant-wide). */
  'users.manage': ['admin'],
  /** System settings: everyone reads them (and manages their own API tokens there); admins change them. */
  'settings.view': ['admin', 'operator', 'technician', 'analyst', 'viewer'],
  'settings.manage': ['admin'],
  /** Charging sessions and their reports: every role, within its scope. */
  'sessions.view': ['admin', 'operator', 'technician', 'analyst', 'viewer'],
  'sessions.dispute': ['admin', 'operator'],
  /** Tariffs: read by admins, operators and analysts; changed and assigned by admins and operators. */
  'tariffs.view': ['admin', 'operator', 'analyst'],
  'tariffs.manage': ['admin', 'operator'],
  /** Incidents and the in-app inbox (the bell): everyone. */
  'alerts.view': ['admin', 'operator', 'technician', 'analyst', 'viewer'],
  /** Acknowledge and resolve incidents. */
  'alerts.respond': ['admin', 'operator', 'technician'],
  /** Read alert rules, on-call groups and recipients (technicians read what they are part of). */
  'alerts.rules': ['admin', 'operator', 'technician'],
  /** Change rules, on-call groups and people's alert contacts. */
  'alerts.manage': ['admin', 'operator'],
  /** Delivery history of SMS, e-mail, webhook and in-app messages. */
  'notifications.view': ['admin', 'operator', 'technician'],
  /** The transaction ledger: analysts read it; adjustments, refunds and imports are for admins and operators. */
  'ledger.view': ['admin', 'operator', 'analyst'],
  'ledger.manage': ['admin', 'operator'],
  /** Consumption reports and analytics. */
  'reports.view': ['admin', 'operator', 'analyst'],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && GRANTS[permission].includes(role);
}
