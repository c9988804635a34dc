/**
 * 2.0.1 NotifyCustomerInformation (N09/N10): one part (seqNo, tbc) of a CustomerInformation answer.
 * Kept as a record for the cloud to reassemble; empty reply.
 */
import { recordOnly } from './record.js';

export const notifyCustomerInformation = recordOnly('NotifyCustomerInformation', {});
