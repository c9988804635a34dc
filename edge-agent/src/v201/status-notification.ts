/** 2.0.1 StatusNotification (G01): connector availability; charging progress lives in TransactionEvent. */
import type { ConnectorStatus } from '@voltmesh/contract';
import { normaliseTimestamp } from '@voltmesh/ocpp';
import type { Handler201 } from './types.js';

const STATUS: Readonly<Record<string, ConnectorStatus>> = {
  Available: 'available',
  Occupied: 'occupied',
  Reserved: 'reserved',
  Unavailable: 'unavailable',
  Faulted: 'faulted',
};

export const statusNotification: Handler201<'StatusNotification'> = (req, ctx) => ({
  res: {},
  events: [
    {
      occurredAt: normaliseTimestamp(req.timestamp, ctx.clock.now()),
      event: {
        type: 'connector.status',
        evseId: req.evseId,
        connectorId: req.connectorId,
        status: STATUS[req.connectorStatus] ?? 'unknown',
        rawStatus: req.connectorStatus,
        // 2.0.1 reports faults through NotifyEvent, not here.
        errorCode: null,
        vendorErrorCode: null,
        info: null,
      },
    },
  ],
});
