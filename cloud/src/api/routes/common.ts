/** Shared pieces of route definitions. */
import type { Identity } from '../../auth/sessions.js';
import type { Scope } from '../../stations/queries.js';
import { Problem } from '../schemas.js';

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const cookieAuth = [{ cookieAuth: [] }];

export const scopeOf = (identity: Identity): Scope => ({
  tenantId: identity.tenantId,
  siteId: identity.siteId,
  cityId: identity.cityId,
});
