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
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && GRANTS[permission].includes(role);
}
