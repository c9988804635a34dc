import { describe, expect, it } from 'vitest';
import { formatLogLine, isNoteworthy } from './log-format.js';

const plain = { colour: false, width: 8 };

describe('stack log formatting', () => {
  it('prints a pino line as time, component, level, message and fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 10, 22, 10, 0, 1, 234),
      pid: 1,
      hostname: 'h',
      msg: 'station booted',
      stationId: 'RU-TV-001',
      ocppVersion: 'ocpp1.6',
    });
    expect(formatLogLine('edge:tv', line, plain)).toBe(
      '10:00:01.234 edge:tv  INFO  station booted stationId=RU-TV-001 ocppVersion=ocpp1.6',
    );
  });

  it('quotes values with spaces and shows error messages, not stacks', () => {
    const line = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'ingest failed',
      reason: 'db down',
      err: { message: 'ECONNREFUSED', stack: 'x' },
    });
    expect(formatLogLine('cloud', line, plain)).toBe(
      '00:00:00.000 cloud    ERROR ingest failed reason="db down" err="ECONNREFUSED"',
    );
  });

  it('passes other output through with the component prefix', () => {
    expect(formatLogLine('nats', '[1] Server is ready', plain)).toBe('nats     [1] Server is ready');
    expect(formatLogLine('nats', '{not json', plain)).toBe('nats     {not json');
  });
});

describe('terminal filter', () => {
  it('shows only warnings and errors of the infrastructure daemons', () => {
    expect(isNoteworthy('postgres', 'creating subdirectories ... ok')).toBe(false);
    expect(isNoteworthy('postgres', '2026-11-22 LOG:  database system is ready to accept connections')).toBe(
      false,
    );
    expect(isNoteworthy('postgres', '2026-11-22 FATAL:  password authentication failed')).toBe(true);
    expect(isNoteworthy('nats', '[1] [INF] Starting JetStream')).toBe(false);
    expect(isNoteworthy('nats', '[1] [WRN] JetStream resource limits exceeded')).toBe(true);
    expect(isNoteworthy('web-build', 'dist/assets/index.js  58.07 kB')).toBe(false);
    expect(isNoteworthy('web-build', '✓ built in 800ms')).toBe(true);
  });

  it('shows every line of our own services', () => {
    expect(isNoteworthy('edge:msk-vdnh', '{"level":30,"msg":"station booted"}')).toBe(true);
    expect(isNoteworthy('cloud', '   ')).toBe(false);
  });
});
