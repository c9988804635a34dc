/**
 * 2.0.1 NotifyEVChargingSchedule (K17): the EV's planned schedule. The CSMS checks it against the
 * limits it set; Voltmesh sets no ISO 15118 limits, so there is nothing it can violate: Accepted.
 */
import { recordOnly } from './record.js';

export const notifyEVChargingSchedule = recordOnly('NotifyEVChargingSchedule', { status: 'Accepted' });
