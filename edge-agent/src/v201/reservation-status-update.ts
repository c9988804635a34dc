/**
 * 2.0.1 ReservationStatusUpdate (H05): a reservation expired or was removed. The normalized model has
 * no reservation events yet; kept as a record; empty reply.
 */
import { recordOnly } from './record.js';

export const reservationStatusUpdate = recordOnly('ReservationStatusUpdate', {});
