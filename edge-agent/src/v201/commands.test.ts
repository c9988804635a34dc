import type { Command, SettingRef } from '@voltmesh/contract';
import { describe, expect, it } from 'vitest';
import { commands201 } from './commands.js';

const ref = (component: string | null, variable: string, extra: Partial<SettingRef> = {}): SettingRef => ({
  component,
  componentInstance: null,
  evseId: null,
  variable,
  variableInstance: null,
  ...extra,
});
const token = { id: 'AB12', type: 'ISO14443' };

describe('2.0.1 command encoding', () => {
  it('RequestStartTransaction carries a positive int32 remoteStartId', () => {
    const encoded = commands201.encode({ type: 'remote_start', evseId: 1, idToken: token });
    expect(encoded).toEqual({
      action: 'RequestStartTransaction',
      payload: {
        idToken: { idToken: 'AB12', type: 'ISO14443' },
        evseId: 1,
        remoteStartId: expect.any(Number),
      },
    });
    const id = (encoded as { payload: Record<string, unknown> }).payload['remoteStartId'] as number;
    expect(Number.isInteger(id) && id > 0 && id < 2 ** 31).toBe(true);
  });

  it.each<[Command, unknown]>([
    [
      { type: 'remote_stop', transactionId: 'TX-1' },
      { action: 'RequestStopTransaction', payload: { transactionId: 'TX-1' } },
    ],
    [
      { type: 'reset', kind: 'hard' },
      { action: 'Reset', payload: { type: 'Immediate' } },
    ],
    [
      { type: 'reset', kind: 'soft' },
      { action: 'Reset', payload: { type: 'Immediate' } },
    ],
    [
      { type: 'unlock_connector', evseId: 1, connectorId: 2 },
      { action: 'UnlockConnector', payload: { evseId: 1, connectorId: 2 } },
    ],
    [
      { type: 'change_availability', evseId: 0, operative: true },
      { action: 'ChangeAvailability', payload: { operationalStatus: 'Operative' } },
    ],
    [
      { type: 'change_availability', evseId: 2, operative: false },
      { action: 'ChangeAvailability', payload: { operationalStatus: 'Inoperative', evse: { id: 2 } } },
    ],
    [
      {
        type: 'get_configuration',
        settings: [
          ref('OCPPCommCtrlr', 'HeartbeatInterval'),
          ref('EVSE', 'Power', { evseId: 1, variableInstance: 'Max' }),
        ],
      },
      {
        action: 'GetVariables',
        payload: {
          getVariableData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power', instance: 'Max' } },
          ],
        },
      },
    ],
    [
      { type: 'change_configuration', setting: ref('OCPPCommCtrlr', 'HeartbeatInterval'), value: '60' },
      {
        action: 'SetVariables',
        payload: {
          setVariableData: [
            {
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'HeartbeatInterval' },
              attributeValue: '60',
            },
          ],
        },
      },
    ],
    [
      { type: 'trigger_message', message: 'diagnostics_status', evseId: null },
      { action: 'TriggerMessage', payload: { requestedMessage: 'LogStatusNotification' } },
    ],
    [
      { type: 'trigger_message', message: 'meter_values', evseId: 1 },
      { action: 'TriggerMessage', payload: { requestedMessage: 'MeterValues', evse: { id: 1 } } },
    ],
    [{ type: 'clear_cache' }, { action: 'ClearCache', payload: {} }],
    [
      { type: 'data_transfer', vendorId: 'com.acme', messageId: 'ping', data: null },
      { action: 'DataTransfer', payload: { vendorId: 'com.acme', messageId: 'ping' } },
    ],
  ])('%j', (command, expected) => {
    expect(commands201.encode(command)).toEqual(expected);
  });

  it.each<Command>([
    { type: 'remote_start', evseId: 0, idToken: token },
    { type: 'remote_start', evseId: 1, idToken: { id: 'TAG', type: 'unknown' } },
    { type: 'remote_start', evseId: 1, idToken: { id: 'X'.repeat(37), type: 'Local' } },
    { type: 'remote_stop', transactionId: 'X'.repeat(37) },
    { type: 'get_configuration', settings: [] },
    { type: 'get_configuration', settings: [ref(null, 'HeartbeatInterval')] },
    { type: 'change_configuration', setting: ref(null, 'HeartbeatInterval'), value: '1' },
  ])('cannot express %j', (command) => {
    expect(commands201.encode(command)).toEqual({ unsupported: expect.any(String) });
  });
});

describe('2.0.1 reply decoding', () => {
  it('uses statusInfo as detail', () => {
    expect(
      commands201.decode(
        { type: 'remote_start', evseId: 1, idToken: token },
        { status: 'Rejected', statusInfo: { reasonCode: 'Occupied', additionalInfo: 'EVSE busy' } },
      ),
    ).toEqual({ outcome: 'rejected', detail: 'Occupied: EVSE busy', settings: null, data: null });
    expect(commands201.decode({ type: 'reset', kind: 'hard' }, { status: 'Scheduled' })).toEqual({
      outcome: 'scheduled',
      detail: 'station answered Scheduled',
      settings: null,
      data: null,
    });
  });

  it('maps unlock and trigger statuses', () => {
    const unlock: Command = { type: 'unlock_connector', evseId: 1, connectorId: 1 };
    expect(commands201.decode(unlock, { status: 'Unlocked' }).outcome).toBe('accepted');
    expect(commands201.decode(unlock, { status: 'OngoingAuthorizedTransaction' })).toMatchObject({
      outcome: 'rejected',
      detail: 'station answered OngoingAuthorizedTransaction',
    });
    expect(
      commands201.decode(
        { type: 'trigger_message', message: 'heartbeat', evseId: null },
        { status: 'NotImplemented' },
      ).outcome,
    ).toBe('not_supported');
  });

  it('reads GetVariables results per setting', () => {
    const decoded = commands201.decode(
      { type: 'get_configuration', settings: [ref('OCPPCommCtrlr', 'HeartbeatInterval')] },
      {
        getVariableResult: [
          {
            attributeStatus: 'Accepted',
            attributeValue: '300',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
          {
            attributeStatus: 'UnknownVariable',
            component: { name: 'EVSE', evse: { id: 1 } },
            variable: { name: 'Nope', instance: 'A' },
          },
        ],
      },
    );
    expect(decoded.outcome).toBe('accepted');
    expect(decoded.settings).toEqual([
      {
        setting: ref('OCPPCommCtrlr', 'HeartbeatInterval'),
        value: '300',
        readonly: null,
        status: 'accepted',
      },
      {
        setting: ref('EVSE', 'Nope', { evseId: 1, variableInstance: 'A' }),
        value: null,
        readonly: null,
        status: 'unknown_variable',
      },
    ]);
  });

  it('reads the SetVariables result status and its statusInfo', () => {
    const command: Command = { type: 'change_configuration', setting: ref('C', 'V'), value: '1' };
    const reply = (attributeStatus: string, attributeStatusInfo?: unknown) => ({
      setVariableResult: [
        { attributeStatus, attributeStatusInfo, component: { name: 'C' }, variable: { name: 'V' } },
      ],
    });
    expect(commands201.decode(command, reply('Accepted')).outcome).toBe('accepted');
    expect(commands201.decode(command, reply('RebootRequired')).outcome).toBe('scheduled');
    expect(commands201.decode(command, reply('Rejected', { reasonCode: 'ValueOutOfRange' }))).toMatchObject({
      outcome: 'rejected',
      detail: 'ValueOutOfRange',
    });
    expect(commands201.decode(command, { setVariableResult: [] }).outcome).toBe('error');
  });

  it('returns DataTransfer data as text whatever JSON the station sent', () => {
    const command: Command = { type: 'data_transfer', vendorId: 'v', messageId: null, data: null };
    expect(commands201.decode(command, { status: 'Accepted', data: { a: 1 } }).data).toBe('{"a":1}');
    expect(commands201.decode(command, { status: 'Accepted', data: 'x' }).data).toBe('x');
    expect(commands201.decode(command, { status: 'UnknownVendorId' }).outcome).toBe('not_supported');
    expect(commands201.decode(command, { status: 'Accepted', data: 'x'.repeat(10_001) })).toMatchObject({
      data: null,
      detail: expect.stringContaining('10000'),
    });
  });

  it('never throws on garbage', () => {
    expect(commands201.decode({ type: 'clear_cache' }, 42).outcome).toBe('error');
    expect(
      commands201.decode({ type: 'get_configuration', settings: [] }, { getVariableResult: [1, null, {}] })
        .settings,
    ).toEqual([]);
  });
});
