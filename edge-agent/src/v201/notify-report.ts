/**
 * 2.0.1 NotifyReport (B07/B08): one part (seqNo, tbc) of a GetBaseReport/GetReport answer, i.e. the
 * device model. Kept as a record for the cloud to reassemble; empty reply.
 */
import { recordOnly } from './record.js';

export const notifyReport = recordOnly('NotifyReport', {});
