/** What the runtime needs from each OCPP version: routing table, command codec, registration rules. */
import type { OcppVersion } from '@voltmesh/contract';
import type { CommandCodec, HandlerTable } from './handler-types.js';
import type { RegistrationRules } from './registration/registration.js';

export interface ProtocolBinding {
  handlers: HandlerTable;
  commands: CommandCodec;
  registration: RegistrationRules;
}

export type ProtocolBindings = Readonly<Record<OcppVersion, ProtocolBinding>>;
