/**
 * 2.0.1 NotifyChargingLimit (K12): an external system set a charging limit. Kept as a record; empty reply.
 */
import { recordOnly } from './record.js';

export const notifyChargingLimit = recordOnly('NotifyChargingLimit', {});
