/** The 2.0.1 CommandCodec: encode to a CALL, decode the station's CALLRESULT. */
import type { CommandCodec } from '../handler-types.js';
import { decode201 } from './command-decode.js';
import { encode201 } from './command-encode.js';

export const commands201: CommandCodec = { encode: encode201, decode: decode201 };
