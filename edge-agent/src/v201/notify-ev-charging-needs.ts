/**
 * 2.0.1 NotifyEVChargingNeeds (K15): the EV asks for a charging schedule. Accepted would promise a
 * SetChargingProfile to follow; Voltmesh has no ISO 15118 smart-charging planner yet, so the honest
 * answer is Rejected ("no schedule will be provided"). The needs are kept as a record.
 */
import { recordOnly } from './record.js';

export const notifyEVChargingNeeds = recordOnly('NotifyEVChargingNeeds', { status: 'Rejected' });
