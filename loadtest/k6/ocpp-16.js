// OCPP 1.6J charge points for k6: one virtual user = one charge point. Behaviour mirrors
// loadtest/swarm/scenarios/steady.json: boot, heartbeat at the server's interval, a status per
// connector, sessions with meter values every 60 s and an energy register that only grows.
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import encoding from 'k6/encoding';
import { WebSocket } from 'k6/experimental/websockets';

const url = __ENV.OCPP_URL || 'ws://127.0.0.1:9000/ocpp';
const password = __ENV.OCPP_PASSWORD || '';
const connectors = Number(__ENV.CONNECTORS || 2);
const meterIntervalS = Number(__ENV.METER_INTERVAL_S || 60);
const maxPowerW = Number(__ENV.MAX_POWER_W || 11000);

export const options = {
  vus: Number(__ENV.VUS || 10),
  duration: __ENV.DURATION || '10m',
  thresholds: { ocpp_call_errors: ['count<1'], ocpp_reply_ms: ['p(99)<1000'] },
};

const replyMs = new Trend('ocpp_reply_ms', true);
const callErrors = new Counter('ocpp_call_errors');

export default function () {
  const identity = `K6-${__VU}`;
  const params = { headers: {} };
  if (password) params.headers.Authorization = `Basic ${encoding.b64encode(`${identity}:${password}`)}`;
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], params);
  const pending = new Map();
  let nextId = 1;
  let registerWh = 1000 * __VU;

  function call(action, payload, onResult) {
    const id = String(nextId++);
    pending.set(id, { at: Date.now(), onResult });
    ws.send(JSON.stringify([2, id, action, payload]));
  }

  function status(connectorId, value) {
    call('StatusNotification', {
      connectorId,
      status: value,
      errorCode: 'NoError',
      timestamp: new Date().toISOString(),
    });
  }

  function sampled(context, powerW, socPercent) {
    const a = (powerW / (230 * 3)).toFixed(2);
    return [
      {
        timestamp: new Date().toISOString(),
        sampledValue: [
          {
            value: String(Math.round(registerWh)),
            context,
            measurand: 'Energy.Active.Import.Register',
            unit: 'Wh',
          },
          { value: String(Math.round(powerW)), context, measurand: 'Power.Active.Import', unit: 'W' },
          { value: a, context, measurand: 'Current.Import', phase: 'L1', unit: 'A' },
          { value: a, context, measurand: 'Current.Import', phase: 'L2', unit: 'A' },
          { value: a, context, measurand: 'Current.Import', phase: 'L3', unit: 'A' },
          { value: '230.0', context, measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
          { value: socPercent.toFixed(1), context, measurand: 'SoC', location: 'EV', unit: 'Percent' },
        ],
      },
    ];
  }

  function session(connectorId) {
    const idTag = `K6TAG${__VU}`;
    status(connectorId, 'Preparing');
    call('Authorize', { idTag }, (auth) => {
      if (!auth.idTagInfo || auth.idTagInfo.status !== 'Accepted') return status(connectorId, 'Available');
      call(
        'StartTransaction',
        { connectorId, idTag, meterStart: Math.round(registerWh), timestamp: new Date().toISOString() },
        (start) => {
          const transactionId = start.transactionId;
          status(connectorId, 'Charging');
          let soc = 20 + Math.random() * 30;
          const wantedWh = 5000 + Math.random() * 30000;
          let deliveredWh = 0;
          const timer = ws.setInterval(() => {
            // Constant power to 80 % SoC, then tapering, as the swarm's charging curve does.
            const powerW = soc < 80 ? maxPowerW : maxPowerW * Math.max(0.05, 1 - (soc - 80) / 20);
            const wh = (powerW * meterIntervalS) / 3600;
            registerWh += wh;
            deliveredWh += wh;
            soc = Math.min(100, soc + (wh / 60000) * 100);
            call('MeterValues', {
              connectorId,
              transactionId,
              meterValue: sampled('Sample.Periodic', powerW, soc),
            });
            if (deliveredWh >= wantedWh || soc >= 100) {
              ws.clearInterval(timer);
              call('StopTransaction', {
                transactionId,
                idTag,
                meterStop: Math.round(registerWh),
                timestamp: new Date().toISOString(),
                reason: 'EVDisconnected',
              });
              status(connectorId, 'Available');
              ws.setTimeout(() => session(connectorId), (30 + Math.random() * 120) * 1000);
            }
          }, meterIntervalS * 1000);
        },
      );
    });
  }

  ws.onopen = () => {
    call('BootNotification', { chargePointVendor: 'Voltmesh', chargePointModel: 'k6' }, (boot) => {
      check(boot, { 'boot accepted': (b) => b.status === 'Accepted' });
      if (boot.status !== 'Accepted') {
        ws.setTimeout(() => ws.close(), 1000);
        return;
      }
      ws.setInterval(() => call('Heartbeat', {}), Math.max(1, boot.interval || 300) * 1000);
      status(0, 'Available');
      for (let c = 1; c <= connectors; c++) {
        status(c, 'Available');
        ws.setTimeout(() => session(c), Math.random() * 60 * 1000);
      }
    });
  };

  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    const [type, id] = frame;
    if (type === 2) {
      // Commands from the server: answer politely that they are not implemented here.
      ws.send(JSON.stringify([4, id, 'NotImplemented', 'k6 charge point', {}]));
      return;
    }
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    replyMs.add(Date.now() - p.at);
    if (type === 4) {
      callErrors.add(1);
      return;
    }
    if (p.onResult) p.onResult(frame[2]);
  };

  ws.onerror = () => callErrors.add(1);
}
