/** The protocol bindings the runtime tests run against: the real tables and codecs of both versions. */
export { PROTOCOLS as realProtocols } from '../../src/protocol-bindings.js';
