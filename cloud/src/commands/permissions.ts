/** Which roles may act on stations remotely; site- and city-scoped grants act only within their scope. */
import type { Role } from '../auth/roles.js';

export const COMMAND_ROLES: readonly Role[] = ['admin', 'operator', 'technician'];
export const AUDIT_READ_ROLES: readonly Role[] = ['admin'];

export const canCommand = (role: Role): boolean => COMMAND_ROLES.includes(role);
export const canReadAudit = (role: Role): boolean => AUDIT_READ_ROLES.includes(role);
