/** The real per-version handler tables and command codecs, wired once for main.ts and the tests. */
import type { ProtocolBindings } from './protocols.js';
import { commands16, handlers16, registrationRules16 } from './v16/index.js';
import { commands201, handlers201, registrationRules201 } from './v201/index.js';

export const PROTOCOLS: ProtocolBindings = {
  'ocpp1.6': { handlers: handlers16, commands: commands16, registration: registrationRules16 },
  'ocpp2.0.1': { handlers: handlers201, commands: commands201, registration: registrationRules201 },
};
