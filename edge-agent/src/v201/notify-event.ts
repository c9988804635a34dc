/**
 * 2.0.1 NotifyEvent (N07/N08): device-model events and monitor triggers. Their meaning depends on
 * the component/variable, which the normalized model does not interpret yet; kept as a record.
 */
import { recordOnly } from './record.js';

export const notifyEvent = recordOnly('NotifyEvent', {});
