/**
 * OCPP 1.6 §4.2 (BootNotification) around a Pending registration:
 * - "The Central System MAY send request messages to retrieve information from the Charge Point or
 *   change its configuration", except: "While in pending state, the following Central System
 *   initiated messages are not allowed: RemoteStartTransaction.req and RemoteStopTransaction.req".
 * - "The Charge Point SHALL NOT send request messages to the Central System unless it has been
 *   instructed by the Central System to do so with a TriggerMessage.req request." So the message a
 *   TriggerMessage asks for is the only one (besides BootNotification) a Pending station may send.
 */
import type { MessageTriggerEnumType, TriggerMessageRequest } from '@voltmesh/ocpp/v16';
import type { RegistrationRules } from '../registration/registration.js';

const NOT_WHILE_PENDING = new Set(['RemoteStartTransaction', 'RemoteStopTransaction']);

/** TriggerMessage.req requestedMessage values are the action names themselves. */
const TRIGGERABLE = new Set<string>([
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
] satisfies TriggerMessageRequest['requestedMessage'][]);

/**
 * Security whitepaper ExtendedTriggerMessage.req requestedMessage -> what the station may send. A
 * firmware status may come as either notification, depending on whether signed firmware is in use.
 */
const EXTENDED = {
  BootNotification: ['BootNotification'],
  LogStatusNotification: ['LogStatusNotification'],
  FirmwareStatusNotification: ['FirmwareStatusNotification', 'SignedFirmwareStatusNotification'],
  Heartbeat: ['Heartbeat'],
  MeterValues: ['MeterValues'],
  SignChargePointCertificate: ['SignCertificate'],
  StatusNotification: ['StatusNotification'],
} as const satisfies Record<MessageTriggerEnumType, readonly string[]>;

export const registrationRules16: RegistrationRules = {
  mayCallWhilePending: (action) => !NOT_WHILE_PENDING.has(action),
  solicitedBy: (action, payload) => {
    const requested = payload['requestedMessage'];
    if (typeof requested !== 'string') return [];
    if (action === 'TriggerMessage') return TRIGGERABLE.has(requested) ? [requested] : [];
    if (action === 'ExtendedTriggerMessage') {
      return (EXTENDED as Readonly<Record<string, readonly string[]>>)[requested] ?? [];
    }
    return [];
  },
};
