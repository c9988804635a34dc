/**
 * 1.6 StatusNotification (§4.9). 1.6 splits "occupied" into Preparing, Charging, SuspendedEV,
 * SuspendedEVSE and Finishing; they all normalize to `occupied` and the raw status is kept.
 */
import type { ConnectorStatus } from '@voltmesh/contract';
import { normaliseTimestamp } from '@voltmesh/ocpp';
import { address16 } from './address.js';
import type { Handler16 } from './types.js';

const STATUS: Readonly<Record<string, ConnectorStatus>> = {
  Available: 'available',
  Preparing: 'occupied',
  Charging: 'occupied',
  SuspendedEVSE: 'occupied',
  SuspendedEV: 'occupied',
  Finishing: 'occupied',
  Reserved: 'reserved',
  Unavailable: 'unavailable',
  Faulted: 'faulted',
};

export const statusNotification: Handler16<'StatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: normaliseTimestamp(req.timestamp, ctx.clock.now()),
      event: {
        type: 'connector.status',
        ...address16(req.connectorId),
        status: STATUS[req.status] ?? 'unknown',
        rawStatus: req.status,
        // NoError is the absence of an error; 2.0.1 has no error code at all here.
        errorCode: req.errorCode === 'NoError' ? null : req.errorCode,
        vendorErrorCode: req.vendorErrorCode ?? null,
        info: req.info ?? null,
      },
    },
  ],
});
