/**
 * 2.0.1 NotifyMonitoringReport (N02): one part of a GetMonitoringReport answer. Record; empty reply.
 */
import { recordOnly } from './record.js';

export const notifyMonitoringReport = recordOnly('NotifyMonitoringReport', {});
