/** 2.0.1 IdTokenType <-> the normalized IdToken, and IdTokenInfo from the site's decision. */
import type { IdToken } from '@voltmesh/contract';
import type { AuthorizationStatusEnumType, IdTokenInfoType, IdTokenType } from '@voltmesh/ocpp/v201';
import type { AuthDecision, HandlerContext, NewEvent } from '../handler-types.js';

/**
 * Null for the empty token 2.0.1 allows with type NoAuthorization (2.0.1 IdTokenType: "idToken may
 * be empty"): the normalized IdToken needs an id, and there is no one to attribute the session to.
 */
export function idToken201(token: IdTokenType | undefined): IdToken | null {
  if (!token || token.idToken === '') return null;
  return { id: token.idToken, type: token.type };
}

const STATUS = {
  accepted: 'Accepted',
  blocked: 'Blocked',
  expired: 'Expired',
  invalid: 'Invalid',
  concurrent_tx: 'ConcurrentTx',
  unknown: 'Unknown',
} as const satisfies Record<AuthDecision['status'], AuthorizationStatusEnumType>;

export function idTokenInfo(decision: AuthDecision): IdTokenInfoType {
  return {
    status: STATUS[decision.status],
    ...(decision.expiresAt ? { cacheExpiryDateTime: decision.expiresAt.toISOString() } : {}),
    // The group id is assigned by the CSMS, which is what IdTokenEnumType "Central" denotes.
    ...(decision.groupId ? { groupIdToken: { idToken: decision.groupId, type: 'Central' } } : {}),
  };
}

/**
 * The site's decision for a token and its token.authorized event (none for an empty
 * NoAuthorization token, which the site policy still decides on).
 */
export function authorizeToken(
  token: IdTokenType,
  ctx: HandlerContext,
): { info: IdTokenInfoType; events: NewEvent[] } {
  const idToken = idToken201(token);
  const decision = ctx.state.authorize(idToken ?? { id: token.idToken, type: token.type });
  const events: NewEvent[] = idToken
    ? [
        {
          occurredAt: ctx.clock.now().toISOString(),
          event: {
            type: 'token.authorized',
            idToken,
            status: decision.status,
            decidedBy: decision.decidedBy,
          },
        },
      ]
    : [];
  return { info: idTokenInfo(decision), events };
}
