/**
 * OCPP 2.0.1 B02 (Cold Boot Charging Station – Pending) around a Pending registration:
 * - the CSMS may use the Pending state to read and set the device model: GetVariables, SetVariables,
 *   GetBaseReport, GetReport, and TriggerMessage (to get a BootNotification, or another message,
 *   when it is ready); nothing else is sent to a Pending station, in particular no
 *   RequestStartTransaction/RequestStopTransaction;
 * - a Pending station may send only BootNotification, or a message triggered by TriggerMessageRequest,
 *   GetBaseReportRequest or GetReportRequest; any other CALL is answered CALLERROR SecurityError
 *   (B02.FR.09; OCTT TC_B_30_CSMS checks exactly this).
 */
import type { MessageTriggerEnumType } from '@voltmesh/ocpp/v201';
import type { RegistrationRules } from '../registration/registration.js';

const WHILE_PENDING = new Set([
  'GetVariables',
  'SetVariables',
  'GetBaseReport',
  'GetReport',
  'TriggerMessage',
]);

/** TriggerMessageRequest requestedMessage (MessageTriggerEnumType) -> the action the station sends. */
const TRIGGERED = {
  BootNotification: 'BootNotification',
  LogStatusNotification: 'LogStatusNotification',
  FirmwareStatusNotification: 'FirmwareStatusNotification',
  Heartbeat: 'Heartbeat',
  MeterValues: 'MeterValues',
  SignChargingStationCertificate: 'SignCertificate',
  SignV2GCertificate: 'SignCertificate',
  StatusNotification: 'StatusNotification',
  TransactionEvent: 'TransactionEvent',
  SignCombinedCertificate: 'SignCertificate',
  PublishFirmwareStatusNotification: 'PublishFirmwareStatusNotification',
} as const satisfies Record<MessageTriggerEnumType, string>;

export const registrationRules201: RegistrationRules = {
  mayCallWhilePending: (action) => WHILE_PENDING.has(action),
  solicitedBy: (action, payload) => {
    if (action === 'GetBaseReport' || action === 'GetReport') return ['NotifyReport'];
    const requested = payload['requestedMessage'];
    if (action !== 'TriggerMessage' || typeof requested !== 'string') return [];
    const triggered = (TRIGGERED as Readonly<Record<string, string>>)[requested];
    return triggered ? [triggered] : [];
  },
};
