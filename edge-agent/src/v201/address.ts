/**
 * 2.0.1 addresses EVSE + connector directly. A message without an EVSE is about the whole station
 * ({0, 0}, contract/events.ts). An EVSE without a connectorId is about the EVSE as a whole: connector
 * 0, because assuming connector 1 would be a guess on multi-connector EVSEs.
 */
import type { EVSEType } from '@voltmesh/ocpp/v201';

export interface Address {
  evseId: number;
  connectorId: number;
}

export function address201(evse: EVSEType | undefined): Address {
  if (!evse) return { evseId: 0, connectorId: 0 };
  return { evseId: evse.id, connectorId: evse.id === 0 ? 0 : (evse.connectorId ?? 0) };
}
