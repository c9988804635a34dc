/**
 * ocpp-rpc is CommonJS and spreads its error classes and symbols into `module.exports`, which Node's
 * ESM loader cannot see as named exports; everything we use from it goes through this one module.
 */
import ocppRpc, { type RPCServer as RPCServerT, type RPCError as RPCErrorT } from 'ocpp-rpc';

export const { RPCServer, RPCError, TimeoutError, NOREPLY, createRPCError } = ocppRpc;
export type RPCServer = RPCServerT;
export type RPCError = RPCErrorT;
