/** A 2.0.1 handler whose request and response types are tied to its action name. */
import type { Actions201, Request201, Response201 } from '@voltmesh/ocpp/v201';
import type { Handler } from '../handler-types.js';

export type Handler201<A extends keyof Actions201> = Handler<Request201<A>, Response201<A>>;
