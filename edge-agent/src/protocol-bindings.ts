/**
 * The real per-version handler tables and command codecs, wired once for main.ts.
 * The command codecs are not delivered yet: until they are, every command is answered
 * `not_supported` (honestly, with that reason), never silently dropped.
 */
import type { CommandCodec } from './handler-types.js';
import type { ProtocolBindings } from './protocols.js';
import { handlers16 } from './v16/index.js';
import { handlers201 } from './v201/index.js';

const pendingCodec = (version: string): CommandCodec => ({
  encode: (command) => ({ unsupported: `${command.type}: the ${version} command codec is not wired yet` }),
  decode: () => ({ outcome: 'error', detail: 'no decoder', settings: null, data: null }),
});

export const PROTOCOLS: ProtocolBindings = {
  'ocpp1.6': { handlers: handlers16, commands: pendingCodec('ocpp1.6') },
  'ocpp2.0.1': { handlers: handlers201, commands: pendingCodec('ocpp2.0.1') },
};
