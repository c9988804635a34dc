/** 2.0.1 Authorize (C01): the site's decision for an IdToken, recorded as token.authorized. */
import { authorizeToken } from './id-token.js';
import type { Handler201 } from './types.js';

export const authorize: Handler201<'Authorize'> = (req, ctx) => {
  const { info, events } = authorizeToken(req.idToken, ctx);
  return { res: { idTokenInfo: info }, events };
};
