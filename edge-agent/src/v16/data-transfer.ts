/**
 * 1.6 DataTransfer (§4.3). No vendor extension is implemented at the edge, so every vendorId is
 * unknown (§4.3: "If the recipient has no implementation for the specific vendorId it SHALL return
 * status UnknownVendorId"). The payload is kept as a station.record for whoever needs it later.
 */
import { recordEvent } from './record.js';
import type { Handler16 } from './types.js';

export const dataTransfer: Handler16<'DataTransfer'> = (req, ctx) => ({
  res: { status: 'UnknownVendorId' },
  events: [recordEvent('DataTransfer', req, ctx)],
});
