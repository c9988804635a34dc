/**
 * 2.0.1 ReportChargingProfiles (K09): the profiles a GetChargingProfiles asked for. Record; empty reply.
 */
import { recordOnly } from './record.js';

export const reportChargingProfiles = recordOnly('ReportChargingProfiles', {});
