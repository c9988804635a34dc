/** Scripted charging sessions, as a 1.6 and a 2.0.1 charger would run them. */
import { randomUUID } from 'node:crypto';
import type { TestCharger } from './harness.js';

type Charger = TestCharger;
const at = (offsetS: number, base: number) => new Date(base + offsetS * 1000).toISOString();

export async function bootAndAvailable16(cp: Charger): Promise<void> {
  await cp.call('BootNotification', { chargePointVendor: 'Voltmesh', chargePointModel: 'Sim16' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
}

/** Authorize, start, two meter values, stop. Returns the transaction id the edge allocated. */
export async function session16(
  cp: Charger,
  idTag: string,
  base = Date.now(),
): Promise<{ transactionId: number; authorized: string }> {
  const auth = (await cp.call('Authorize', { idTag })) as { idTagInfo: { status: string } };
  const start = (await cp.call('StartTransaction', {
    connectorId: 1,
    idTag,
    meterStart: 1000,
    timestamp: at(0, base),
  })) as { transactionId: number; idTagInfo: { status: string } };
  const transactionId = start.transactionId;
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  for (const [i, wh] of [
    [1, 1500],
    [2, 2000],
  ] as const) {
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: at(i * 60, base),
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    });
  }
  await cp.call('StopTransaction', {
    transactionId,
    idTag,
    meterStop: 2500,
    timestamp: at(180, base),
    reason: 'Local',
  });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  return { transactionId, authorized: auth.idTagInfo.status };
}

export async function bootAndAvailable201(cs: Charger): Promise<void> {
  await cs.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { vendorName: 'Voltmesh', model: 'Sim201' },
  });
  await cs.call('StatusNotification', {
    timestamp: new Date().toISOString(),
    connectorStatus: 'Available',
    evseId: 1,
    connectorId: 1,
  });
}

/** Started / Updated / Ended, with a retried Updated (same seqNo, new message id) in the middle. */
export async function session201(
  cs: Charger,
  idToken: string,
  base = Date.now(),
): Promise<{ transactionId: string; authorized: string }> {
  const transactionId = randomUUID();
  const token = { idToken, type: 'ISO14443' };
  const auth = (await cs.call('Authorize', { idToken: token })) as { idTokenInfo: { status: string } };
  const energy = (wh: number, context: string, offsetS: number) => [
    {
      timestamp: at(offsetS, base),
      sampledValue: [
        { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      ],
    },
  ];
  await cs.call('TransactionEvent', {
    eventType: 'Started',
    timestamp: at(0, base),
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId, chargingState: 'Charging' },
    idToken: token,
    evse: { id: 1, connectorId: 1 },
    meterValue: energy(1000, 'Transaction.Begin', 0),
  });
  const updated = {
    eventType: 'Updated',
    timestamp: at(60, base),
    triggerReason: 'MeterValuePeriodic',
    seqNo: 1,
    transactionInfo: { transactionId },
    meterValue: energy(1500, 'Sample.Periodic', 60),
  };
  await cs.call('TransactionEvent', updated);
  await cs.call('TransactionEvent', updated);
  await cs.call('TransactionEvent', {
    eventType: 'Ended',
    timestamp: at(180, base),
    triggerReason: 'StopAuthorized',
    seqNo: 2,
    transactionInfo: { transactionId, stoppedReason: 'Local' },
    idToken: token,
    meterValue: energy(2500, 'Transaction.End', 180),
  });
  return { transactionId, authorized: auth.idTokenInfo.status };
}
