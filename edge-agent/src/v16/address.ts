/**
 * 1.6 has connectors only; the normalized model addresses EVSE + connector. Per the contract header
 * (contract/events.ts), connector N > 0 is EVSE N with its single connector 1, connector 0 is the
 * whole station.
 */
export interface Address {
  evseId: number;
  connectorId: number;
}

export function address16(connectorId: number): Address {
  return connectorId > 0 ? { evseId: connectorId, connectorId: 1 } : { evseId: 0, connectorId: 0 };
}
