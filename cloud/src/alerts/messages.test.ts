import { describe, expect, it } from 'vitest';
import { composeMessage, formatTime, type MessageContext } from './messages.js';
import { quietUntil } from './recipients.js';

const ctx: MessageContext = {
  title: 'CP-0042 offline',
  severity: 'warning',
  siteName: 'Berlin Depot',
  cityName: 'Berlin',
  since: new Date('2026-11-22T10:01:00Z'),
  resolvedAt: null,
  link: 'https://cs.example/stations/0b0e',
  escalationLevel: 1,
  escalationAfterMinutes: 30,
  details: { identity: 'CP-0042', vendorErrorCode: null },
};
const now = new Date('2026-11-22T10:12:00Z');

describe('alert messages', () => {
  it('say what, where, since when and link the station, in one SMS segment or two', () => {
    const m = composeMessage(ctx, 'opened', 'UTC', now);
    expect(m.sms).toBe(
      '[WARNING] CP-0042 offline at Berlin Depot, Berlin since 10:01 UTC. https://cs.example/stations/0b0e',
    );
    expect(m.sms.length).toBeLessThanOrEqual(306);
    expect(m.subject).toBe('[WARNING] CP-0042 offline at Berlin Depot');
    expect(m.text).toContain('Open: https://cs.example/stations/0b0e');
    expect(m.text).toContain('identity: CP-0042');
    expect(m.text).not.toContain('vendorErrorCode');
  });

  it('name the escalation level, the recovery and its duration', () => {
    expect(composeMessage(ctx, 'escalated', 'UTC', now).sms).toMatch(
      /^\[ESCALATED L2 WARNING\] .*not acknowledged for 30 min/,
    );
    const recovered = composeMessage(
      { ...ctx, resolvedAt: new Date('2026-11-22T10:15:00Z') },
      'recovered',
      'UTC',
      now,
    );
    expect(recovered.sms).toContain(
      '[RESOLVED] CP-0042 offline at Berlin Depot, Berlin: cleared at 10:15 UTC after 14 min.',
    );
  });

  it('write times in the recipient time zone, with the date when it is not today', () => {
    expect(formatTime(ctx.since, 'Europe/Berlin', now)).toBe('11:01 Europe/Berlin');
    expect(formatTime(ctx.since, 'UTC', new Date('2026-11-23T08:00:00Z'))).toBe('22 Nov 10:01 UTC');
  });

  it('escape HTML in the e-mail', () => {
    const m = composeMessage({ ...ctx, title: '<b>CP</b> offline' }, 'opened', 'UTC', now);
    expect(m.html).toContain('&#60;b&#62;CP&#60;/b&#62;');
    expect(m.html).not.toContain('<b>CP</b>');
  });
});

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:00' };
  it('hold until the end of quiet hours across midnight, in the recipient time zone', () => {
    expect(quietUntil(new Date('2026-11-22T23:15:00Z'), quiet, 'UTC')?.toISOString()).toBe(
      '2026-11-23T07:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-11-23T06:59:00Z'), quiet, 'UTC')?.toISOString()).toBe(
      '2026-11-23T07:00:00.000Z',
    );
    // 21:30 UTC is 22:30 in Berlin (winter): quiet until 07:00 Berlin = 06:00 UTC.
    expect(quietUntil(new Date('2026-11-22T21:30:00Z'), quiet, 'Europe/Berlin')?.toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
  });
  it('do not hold outside them or without them', () => {
    expect(quietUntil(new Date('2026-11-22T07:00:00Z'), quiet, 'UTC')).toBeNull();
    expect(quietUntil(new Date('2026-11-22T12:00:00Z'), quiet, 'UTC')).toBeNull();
    expect(quietUntil(new Date('2026-11-22T23:15:00Z'), null, 'UTC')).toBeNull();
    expect(
      quietUntil(new Date('2026-11-22T13:00:00Z'), { start: '12:00', end: '14:00' }, 'UTC')?.toISOString(),
    ).toBe('2026-11-22T14:00:00.000Z');
  });
});
