/**
 * 2.0.1 DataTransfer (P01): no vendor extension is implemented at the edge, so every vendorId is
 * unknown (P01.FR.06: UnknownVendorId). The payload is kept as a record.
 */
import { recordOnly } from './record.js';

export const dataTransfer = recordOnly('DataTransfer', { status: 'UnknownVendorId' });
