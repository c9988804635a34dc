/**
 * OCPP 1.6J routing table (charger-initiated actions) and command codec. The runtime answers any
 * action missing here with NotImplemented; CHARGER_ACTIONS_16 lists them all, so none is missing.
 */
import type { ChargerAction16 } from '@voltmesh/ocpp/v16';
import type { HandlerTable } from '../handler-types.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { dataTransfer } from './data-transfer.js';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { heartbeat } from './heartbeat.js';
import { logStatusNotification } from './log-status-notification.js';
import { meterValues } from './meter-values.js';
import { securityEventNotification } from './security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { signedFirmwareStatusNotification } from './signed-firmware-status-notification.js';
import { startTransaction } from './start-transaction.js';
import { statusNotification } from './status-notification.js';
import { stopTransaction } from './stop-transaction.js';
import type { Handler16 } from './types.js';

const table = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
  Heartbeat: heartbeat,
  LogStatusNotification: logStatusNotification,
  MeterValues: meterValues,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  SignedFirmwareStatusNotification: signedFirmwareStatusNotification,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
} as const satisfies { [A in ChargerAction16]: Handler16<A> };

export const handlers16: HandlerTable = table;

export { commands16 } from './commands.js';
export { registrationRules16 } from './registration-rules.js';
