/** A 1.6 handler whose request and response types are tied to its action name. */
import type { Actions16, Request16, Response16 } from '@voltmesh/ocpp/v16';
import type { Handler } from '../handler-types.js';

export type Handler16<A extends keyof Actions16> = Handler<Request16<A>, Response16<A>>;
