/** The 1.6 CommandCodec: encode to a CALL, decode the station's CALLRESULT. */
import type { CommandCodec } from '../handler-types.js';
import { decode16 } from './command-decode.js';
import { encode16 } from './command-encode.js';

export const commands16: CommandCodec = { encode: encode16, decode: decode16 };
