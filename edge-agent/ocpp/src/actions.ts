/**
 * Which actions a charger initiates (CS -> CSMS) in each version. Everything else in the schema
 * files is a CSMS -> CS command. 1.6 includes the Security Whitepaper (edition 2) extension messages,
 * whose schemas ship in the same file.
 */
import type { Actions16 } from './generated/v16.js';
import type { Actions201 } from './generated/v201.js';

export const CHARGER_ACTIONS_16 = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
] as const satisfies readonly (keyof Actions16)[];
export type ChargerAction16 = (typeof CHARGER_ACTIONS_16)[number];

export const CHARGER_ACTIONS_201 = [
  'Authorize',
  'BootNotification',
  'ClearedChargingLimit',
  'DataTransfer',
  'FirmwareStatusNotification',
  'Get15118EVCertificate',
  'GetCertificateStatus',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'NotifyChargingLimit',
  'NotifyCustomerInformation',
  'NotifyDisplayMessages',
  'NotifyEVChargingNeeds',
  'NotifyEVChargingSchedule',
  'NotifyEvent',
  'NotifyMonitoringReport',
  'NotifyReport',
  'PublishFirmwareStatusNotification',
  'ReportChargingProfiles',
  'ReservationStatusUpdate',
  'SecurityEventNotification',
  'SignCertificate',
  'StatusNotification',
  'TransactionEvent',
] as const satisfies readonly (keyof Actions201)[];
export type ChargerAction201 = (typeof CHARGER_ACTIONS_201)[number];

/** Request/response payload types of one action. */
export type Request16<A extends keyof Actions16> = Actions16[A]['request'];
export type Response16<A extends keyof Actions16> = Actions16[A]['response'];
export type Request201<A extends keyof Actions201> = Actions201[A]['request'];
export type Response201<A extends keyof Actions201> = Actions201[A]['response'];
