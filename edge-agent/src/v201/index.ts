/**
 * OCPP 2.0.1 routing table (charger-initiated actions) and command codec. The runtime answers any
 * action missing here with NotImplemented; CHARGER_ACTIONS_201 lists them all, so none is missing.
 */
import type { ChargerAction201 } from '@voltmesh/ocpp/v201';
import type { HandlerTable } from '../handler-types.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { clearedChargingLimit } from './cleared-charging-limit.js';
import { dataTransfer } from './data-transfer.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { get15118EVCertificate } from './get-15118-ev-certificate.js';
import { getCertificateStatus } from './get-certificate-status.js';
import { heartbeat } from './heartbeat.js';
import { logStatusNotification } from './log-status-notification.js';
import { meterValues } from './meter-values.js';
import { notifyChargingLimit } from './notify-charging-limit.js';
import { notifyCustomerInformation } from './notify-customer-information.js';
import { notifyDisplayMessages } from './notify-display-messages.js';
import { notifyEVChargingNeeds } from './notify-ev-charging-needs.js';
import { notifyEVChargingSchedule } from './notify-ev-charging-schedule.js';
import { notifyEvent } from './notify-event.js';
import { notifyMonitoringReport } from './notify-monitoring-report.js';
import { notifyReport } from './notify-report.js';
import { publishFirmwareStatusNotification } from './publish-firmware-status-notification.js';
import { reportChargingProfiles } from './report-charging-profiles.js';
import { reservationStatusUpdate } from './reservation-status-update.js';
import { securityEventNotification } from './security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { statusNotification } from './status-notification.js';
import { transactionEvent } from './transaction-event.js';
import type { Handler201 } from './types.js';

const table = {
  Authorize: authorize,
  BootNotification: bootNotification,
  ClearedChargingLimit: clearedChargingLimit,
  DataTransfer: dataTransfer,
  FirmwareStatusNotification: firmwareStatusNotification,
  Get15118EVCertificate: get15118EVCertificate,
  GetCertificateStatus: getCertificateStatus,
  Heartbeat: heartbeat,
  LogStatusNotification: logStatusNotification,
  MeterValues: meterValues,
  NotifyChargingLimit: notifyChargingLimit,
  NotifyCustomerInformation: notifyCustomerInformation,
  NotifyDisplayMessages: notifyDisplayMessages,
  NotifyEVChargingNeeds: notifyEVChargingNeeds,
  NotifyEVChargingSchedule: notifyEVChargingSchedule,
  NotifyEvent: notifyEvent,
  NotifyMonitoringReport: notifyMonitoringReport,
  NotifyReport: notifyReport,
  PublishFirmwareStatusNotification: publishFirmwareStatusNotification,
  ReportChargingProfiles: reportChargingProfiles,
  ReservationStatusUpdate: reservationStatusUpdate,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  StatusNotification: statusNotification,
  TransactionEvent: transactionEvent,
} as const satisfies { [A in ChargerAction201]: Handler201<A> };

export const handlers201: HandlerTable = table;

export { commands201 } from './commands.js';
export { registrationRules201 } from './registration-rules.js';
