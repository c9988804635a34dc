/**
 * A grant's scope as one select value: the whole tenant, one city or one site. Forms keep the
 * string; the API wants `{ siteId, cityId }`.
 */
import type { Grant, GrantInput, Role } from '../../api/types';
import type { MessageKey, MessageParams } from '../../composables/useT';

export type ScopeValue = 'tenant' | `city:${string}` | `site:${string}`;

export function toGrantInput(role: Role, scope: ScopeValue): GrantInput {
  if (scope.startsWith('site:')) return { role, siteId: scope.slice(5), cityId: null };
  if (scope.startsWith('city:')) return { role, siteId: null, cityId: scope.slice(5) };
  return { role, siteId: null, cityId: null };
}

/** "Operator · Site: North depot" in the current language. */
export function grantLabel(
  grant: Pick<Grant, 'role' | 'siteName' | 'cityName' | 'siteId' | 'cityId'>,
  t: (key: MessageKey, params?: MessageParams) => string,
): string {
  const scope =
    grant.siteId !== null
      ? t('users.siteScope', { name: grant.siteName ?? grant.siteId })
      : grant.cityId !== null
        ? t('users.cityScope', { name: grant.cityName ?? grant.cityId })
        : t('users.wholeTenant');
  return `${t(`roles.${grant.role}`)} · ${scope}`;
}
