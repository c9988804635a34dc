import { describe, expect, it } from 'vitest';
import type { EventLogEntry } from '../../api/types';
import type { MessageKey, MessageParams } from '../../composables/useT';
import { createAppI18n } from '../../i18n';
import { summaryText } from './event-log-text';

const entry = (summary: EventLogEntry['summary']): EventLogEntry => ({
  id: 'x',
  at: '2026-12-04T10:00:00.000Z',
  source: 'incident',
  stationId: 's',
  stationIdentity: 'CP-1',
  stationName: 'CP 1',
  siteId: 'si',
  siteName: 'Harbour',
  category: 'alert',
  type: 'incident.opened',
  summary,
  text: '',
  details: {},
});

function translator(locale: 'en' | 'ru' | 'zh') {
  const i18n = createAppI18n(locale);
  return (key: MessageKey, params?: MessageParams) => i18n.global.t(key, params ?? {});
}

describe('summaryText', () => {
  it('translates incident lines with their severity, and says when the condition cleared by itself', () => {
    const t = translator('en');
    const base = {
      title: 'CP-1 offline',
      rule: 'Offline',
      kind: 'station_offline',
      user: null,
      comment: null,
    };
    expect(
      summaryText(
        entry({ code: 'incidentOpened', params: { ...base, severity: 'critical', automatic: 'false' } }),
        t,
      ),
    ).toBe('Incident opened (Critical): CP-1 offline');
    expect(
      summaryText(
        entry({ code: 'incidentResolved', params: { ...base, severity: 'critical', automatic: 'true' } }),
        t,
      ),
    ).toBe('Incident resolved, the condition cleared: CP-1 offline');
    expect(
      summaryText(
        entry({
          code: 'incidentResolved',
          params: { ...base, user: 'Olga', severity: 'critical', automatic: 'false' },
        }),
        t,
      ),
    ).toBe('Incident resolved by Olga: CP-1 offline');
  });

  it('translates connector states and command outcomes, and drops a trailing missing value', () => {
    const ru = translator('ru');
    expect(
      summaryText(
        entry({
          code: 'fault',
          params: {
            evseId: 1,
            connectorId: 1,
            status: 'faulted',
            rawStatus: 'Faulted',
            errorCode: 'GroundFailure',
            vendorErrorCode: 'E-1',
            info: null,
          },
        }),
        ru,
      ),
    ).toBe('Неисправность EVSE 1/1: GroundFailure, код производителя E-1');
    const zh = translator('zh');
    expect(
      summaryText(
        entry({
          code: 'command',
          params: { user: 'ops@acme.test', command: 'reset', outcome: 'offline', detail: null },
        }),
        zh,
      ),
    ).toBe('ops@acme.test 发送了 重启：离线');
    expect(
      summaryText(
        entry({
          code: 'command',
          params: { user: 'a', command: 'x_custom', outcome: 'accepted', detail: null },
        }),
        translator('en'),
      ),
    ).toBe('a sent x_custom: Accepted');
  });
});
