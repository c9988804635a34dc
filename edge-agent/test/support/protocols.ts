/** The protocol bindings the runtime tests run against: the real handler tables of both versions. */
import type { CommandCodec } from '../../src/handler-types.js';
import type { ProtocolBindings } from '../../src/protocols.js';
import { handlers16 } from '../../src/v16/index.js';
import { handlers201 } from '../../src/v201/index.js';

const noCommands: CommandCodec = {
  encode: (command) => ({ unsupported: `${command.type} has no encoder yet` }),
  decode: () => ({ outcome: 'error', detail: 'no decoder', settings: null, data: null }),
};

export const realProtocols: ProtocolBindings = {
  'ocpp1.6': { handlers: handlers16, commands: noCommands },
  'ocpp2.0.1': { handlers: handlers201, commands: noCommands },
};
