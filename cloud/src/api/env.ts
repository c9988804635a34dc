/** Per-request state shared by the API's middleware and routes. */
import type { Identity } from '../auth/sessions.js';
import type { Logger } from '../observability/logger.js';

export interface AppEnv {
  Variables: {
    log: Logger;
    identity: Identity | null;
    /** The raw session cookie, when one was sent and matched a live session. */
    sessionToken: string | null;
  };
}
