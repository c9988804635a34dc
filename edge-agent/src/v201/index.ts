/**
 * OCPP 2.0.1 routing table (charger-initiated actions) and command codec. The runtime answers any
 * action missing here with NotImplemented; CHARGER_ACTIONS_201 lists them all.
 */
import type { HandlerTable } from '../handler-types.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { heartbeat } from './heartbeat.js';
import { meterValues } from './meter-values.js';
import { statusNotification } from './status-notification.js';
import { transactionEvent } from './transaction-event.js';

export const handlers201: HandlerTable = {
  Authorize: authorize,
  BootNotification: bootNotification,
  Heartbeat: heartbeat,
  MeterValues: meterValues,
  StatusNotification: statusNotification,
  TransactionEvent: transactionEvent,
};

export { commands201 } from './commands.js';
