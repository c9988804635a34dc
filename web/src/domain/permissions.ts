/**
 * What each role may use in the dashboard. The server enforces RBAC; this table only decides what
 * to show, so a role never sees a page that would answer 403.
 */
import type { Role } from '../api/types';

export const PERMISSIONS = ['monitoring.view', 'stations.command', 'audit.view'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Permission, readonly Role[]> = {
  'monitoring.view': ['admin', 'operator', 'technician', 'analyst', 'viewer'],
  /** Remote commands and force-stop (the cloud answers 403 auth.forbidden to the others). */
  'stations.command': ['admin', 'operator', 'technician'],
  'audit.view': ['admin'],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && GRANTS[permission].includes(role);
}
