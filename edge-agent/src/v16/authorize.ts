/** 1.6 Authorize (§4.1): the site's decision for an idTag, recorded as token.authorized. */
import type { Handler16 } from './types.js';
import { authorizeIdTag } from './id-tag.js';

export const authorize: Handler16<'Authorize'> = (req, ctx) => {
  const { info, event } = authorizeIdTag(req.idTag, ctx);
  return { res: { idTagInfo: info }, events: [event] };
};
