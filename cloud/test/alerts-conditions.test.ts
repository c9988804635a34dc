/**
 * The rule catalogue against real projections: events written through the ingest's batch writer
 * into PostgreSQL, each kind's default rule evaluated at chosen instants. What a crew would see:
 * which target is found, since when, and the facts in the incident (error codes, counts, reasons).
 */
import { testServices } from '@voltmesh/infra/testing';
import type { StationEvent } from '@voltmesh/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule, type Finding } from '../src/alerts/conditions.js';
import { evaluateAndReconcile } from '../src/alerts/engine.js';
import type { RuleRow } from '../src/alerts/rule-row.js';
import type { RuleKind } from '../src/alerts/schemas.js';
import { withTransaction } from '../src/db/pool.js';
import { writeBatch } from '../src/ingest/write-batch.js';
import { at, envelope, ev, fleet, migratedDatabase, seedFleet, type MigratedDb } from './support.js';

const MIN = 60;

describe('alert conditions', () => {
  let m: MigratedDb;
  let seq = 0;
  let streamSeq = 0;

  const write = async (identity: string, atS: number, events: StationEvent[]) => {
    const messages = events.map((e) => ({
      envelope: envelope('cond-1', identity, e, { atS, seq: ++seq }),
      streamSeq: ++streamSeq,
      subject: 'x',
      raw: new Uint8Array(),
    }));
    await withTransaction(m.db, (tx) => writeBatch(tx, messages));
  };
  const rule = async (kind: RuleKind, params?: Record<string, number>): Promise<RuleRow> => {
    const { rows } = await m.db.query<RuleRow>('SELECT * FROM alert_rules WHERE kind = $1 AND is_default', [
      kind,
    ]);
    return { ...rows[0]!, ...(params ? { params } : {}) };
  };
  const find = async (kind: RuleKind, atS: number, params?: Record<string, number>): Promise<Finding[]> => {
    const r = await rule(kind, params);
    return withTransaction(m.db, (tx) => evaluateRule(tx, r, new Date(at(atS))));
  };
  const about = (findings: Finding[], identity: string) =>
    findings.filter((f) => f.details['identity'] === identity);
  const status = (s: 'faulted' | 'available', vendorErrorCode: string | null = null): StationEvent => ({
    ...ev.status(s),
    ...(vendorErrorCode ? { vendorErrorCode } : {}),
  });

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(
      m.db,
      fleet('Cond', 'cond-1', ['FAULT', 'BURST', 'ABORT', 'NOMETER', 'FW', 'SEC', 'ROUTINE', 'HB', 'MAINT']),
    );
  });
  afterAll(async () => {
    await m?.close();
  });

  it('connector_faulted: after the duration, per connector, with the OCPP and vendor error codes', async () => {
    await write('FAULT', 0, [ev.connected(), status('faulted', 'E42')]);
    expect(about(await find('connector_faulted', 60), 'FAULT')).toEqual([]);
    const [f] = about(await find('connector_faulted', 3 * MIN), 'FAULT');
    expect(f).toMatchObject({
      evseId: 1,
      connectorId: 1,
      since: new Date(at(0)),
      title: 'FAULT connector 1 faulted (GroundFailure / E42)',
      details: { errorCode: 'GroundFailure', vendorErrorCode: 'E42' },
    });
    // Evaluated again with nothing new, the open incident is left as it is (no update, no live push).
    const faulted = await rule('connector_faulted');
    const reconcile = () =>
      withTransaction(m.db, (tx) =>
        evaluateAndReconcile(tx, { publicUrl: 'http://x' }, faulted, new Date(at(3 * MIN))),
      );
    expect(await reconcile()).toHaveLength(1);
    expect(await reconcile()).toEqual([]);
    await write('FAULT', 4 * MIN, [status('available')]);
    expect(about(await find('connector_faulted', 5 * MIN), 'FAULT')).toEqual([]);
  });

  it('fault_burst: N faults within the window, not N-1, not older ones', async () => {
    for (let i = 0; i < 4; i++) await write('BURST', i * MIN, [status('faulted'), status('available')]);
    expect(about(await find('fault_burst', 5 * MIN), 'BURST')).toEqual([]);
    await write('BURST', 5 * MIN, [status('faulted')]);
    expect(about(await find('fault_burst', 6 * MIN), 'BURST')).toMatchObject([
      { stationId: expect.any(String), evseId: null, details: { faults: 5 } },
    ]);
    // An hour after the first fault it has left the window.
    expect(about(await find('fault_burst', 61 * MIN), 'BURST')).toEqual([]);
  });

  it('charging_error: a session ended by an emergency stop, and a charging session without meter values', async () => {
    await write('ABORT', 0, [ev.connected(), ev.started('tx-abort', 0)]);
    await write('ABORT', 10 * MIN, [
      { ...ev.ended('tx-abort', 1000), reason: 'emergency_stop' } as StationEvent,
    ]);
    expect(about(await find('charging_error', 12 * MIN), 'ABORT')).toMatchObject([
      {
        title: 'ABORT connector 1: session ended abnormally',
        details: { reason: 'abnormal_end', stopReason: 'emergency_stop' },
      },
    ]);
    expect(about(await find('charging_error', 41 * MIN), 'ABORT')).toEqual([]);

    await write('NOMETER', 0, [
      ev.connected(),
      ev.started('tx-quiet', 0),
      {
        type: 'session.updated',
        transactionId: 'tx-quiet',
        seqNo: null,
        chargingState: 'charging',
        idToken: null,
      },
      ev.meter('tx-quiet', 60, 100, 7000),
    ]);
    expect(about(await find('charging_error', 10 * MIN), 'NOMETER')).toEqual([]);
    expect(about(await find('charging_error', 17 * MIN), 'NOMETER')).toMatchObject([
      { since: new Date(at(60)), details: { reason: 'no_meter_values', transactionId: 'tx-quiet' } },
    ]);
  });

  it('session_stuck: an active session older than the threshold', async () => {
    expect(about(await find('session_stuck', 11 * 3600), 'NOMETER')).toEqual([]);
    expect(about(await find('session_stuck', 13 * 3600), 'NOMETER')).toMatchObject([
      { title: 'NOMETER connector 1: session without a stop', details: { transactionId: 'tx-quiet' } },
    ]);
  });

  it('firmware_failed: the latest firmware status is a failure; a later success clears it', async () => {
    await write('FW', 0, [{ type: 'firmware.status', status: 'Downloading', requestId: 1 }]);
    await write('FW', MIN, [{ type: 'firmware.status', status: 'InstallationFailed', requestId: 1 }]);
    expect(about(await find('firmware_failed', 2 * MIN), 'FW')).toMatchObject([
      { title: 'FW: firmware update failed (InstallationFailed)' },
    ]);
    await write('FW', 3 * MIN, [{ type: 'firmware.status', status: 'Installed', requestId: 2 }]);
    expect(about(await find('firmware_failed', 4 * MIN), 'FW')).toEqual([]);
  });

  it('security_event: real threats alert, routine events do not', async () => {
    await write('SEC', 0, [
      { type: 'security.event', eventType: 'TamperDetectionActivated', techInfo: null },
    ]);
    await write('ROUTINE', 0, [{ type: 'security.event', eventType: 'StartupOfTheDevice', techInfo: null }]);
    const findings = await find('security_event', 5 * MIN);
    expect(about(findings, 'SEC')).toMatchObject([{ details: { eventTypes: ['TamperDetectionActivated'] } }]);
    expect(about(findings, 'ROUTINE')).toEqual([]);
  });

  it('heartbeat_missed: connected but silent for the missed intervals', async () => {
    await write('HB', 0, [ev.connected(), ev.booted()]);
    expect(about(await find('heartbeat_missed', 2 * MIN), 'HB')).toEqual([]);
    expect(about(await find('heartbeat_missed', 4 * MIN), 'HB')).toMatchObject([
      { details: { heartbeatIntervalS: 60 } },
    ]);
  });

  it('maintenance_due: counts sessions since the last service', async () => {
    // The fixture's events lie before the row's creation time: the station was added an hour earlier.
    await m.db.query(`UPDATE stations SET created_at = $1 WHERE identity = 'MAINT'`, [at(-3600)]);
    await write('MAINT', 0, [ev.connected(), ev.started('tx-m', 0), ev.ended('tx-m', 5000)]);
    const [due] = about(await find('maintenance_due', 10 * MIN, { sessions: 1 }), 'MAINT');
    expect(due).toMatchObject({ details: { due: ['sessions'], sessions: 1 } });
    await m.db.query(
      `INSERT INTO station_services (station_id, serviced_at) SELECT id, $1 FROM stations WHERE identity = 'MAINT'`,
      [at(5 * MIN)],
    );
    expect(about(await find('maintenance_due', 10 * MIN, { sessions: 1 }), 'MAINT')).toEqual([]);
  });

  it('site_unreachable: the edge silent for the duration', async () => {
    await m.db.query(`UPDATE sites SET edge_seen_at = $1 WHERE code = 'cond-1'`, [at(0)]);
    const r = await rule('site_unreachable');
    const found = (s: number) => withTransaction(m.db, (tx) => evaluateRule(tx, r, new Date(at(s))));
    expect(await found(4 * MIN)).toEqual([]);
    expect(await found(6 * MIN)).toMatchObject([
      { stationId: null, title: 'edge agent of Cond Depot unreachable', details: { stations: 9 } },
    ]);
  });

  it('station_offline: a site already reported unreachable covers its stations, except those with their own open incident', async () => {
    const offline = await find('station_offline', 20 * MIN);
    expect(about(offline, 'SEC')).toHaveLength(1);
    expect(about(offline, 'ROUTINE')).toHaveLength(1);
    const r = await rule('station_offline');
    await m.db.query(
      `INSERT INTO incidents (tenant_id, rule_id, kind, severity, site_id, station_id, title, since, opened_at)
       SELECT st.tenant_id, $1, 'station_offline', 'warning', st.site_id, st.id, 'SEC offline', $2, $2
         FROM stations st WHERE st.identity = 'SEC'`,
      [r.id, at(11 * MIN)],
    );
    const site = await rule('site_unreachable');
    await m.db.query(
      `INSERT INTO incidents (tenant_id, rule_id, kind, severity, site_id, title, since, opened_at)
       SELECT tenant_id, $1, 'site_unreachable', 'critical', id, 'edge unreachable', $2, $2 FROM sites WHERE code = 'cond-1'`,
      [site.id, at(15 * MIN)],
    );
    const covered = await find('station_offline', 20 * MIN);
    expect(about(covered, 'SEC')).toHaveLength(1);
    expect(about(covered, 'ROUTINE')).toEqual([]);
  });
});
