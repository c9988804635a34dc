/** What the runtime needs from each OCPP version: its routing table and its command codec. */
import type { OcppVersion } from '@voltmesh/contract';
import type { CommandCodec, HandlerTable } from './handler-types.js';

export interface ProtocolBinding {
  handlers: HandlerTable;
  commands: CommandCodec;
}

export type ProtocolBindings = Readonly<Record<OcppVersion, ProtocolBinding>>;
