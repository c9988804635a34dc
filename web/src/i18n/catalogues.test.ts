import { describe, expect, it } from 'vitest';
import { STATION_STATUSES, CONNECTOR_STATUSES, ROLES } from '../api/types';
import { LIVE_STATUSES } from '../domain/live-status';
import { createAppI18n, messages } from '.';
import { LOCALES } from './locales';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return typeof value === 'object' && value !== null ? Object.values(value).flatMap(leaves) : [];
}

describe('message catalogues', () => {
  const english = keyPaths(messages.en).sort();

  it.each(LOCALES)('%s has exactly the English key set', (locale) => {
    expect(keyPaths(messages[locale]).sort()).toEqual(english);
  });

  it.each(LOCALES)('%s has no empty messages and no bare vue-i18n special characters', (locale) => {
    for (const text of leaves(messages[locale])) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/[@|$]/);
    }
  });

  it('names every station, connector, role and live status the API can send', () => {
    for (const locale of LOCALES) {
      const m = messages[locale];
      expect(Object.keys(m.stationStatus).sort()).toEqual([...STATION_STATUSES].sort());
      expect(Object.keys(m.connectorStatus).sort()).toEqual([...CONNECTOR_STATUSES].sort());
      expect(Object.keys(m.roles).sort()).toEqual([...ROLES].sort());
      expect(Object.keys(m.live).sort()).toEqual([...LIVE_STATUSES].sort());
    }
  });

  it('formats kW and numbers per locale', () => {
    const i18n = createAppI18n('en');
    const { t, n } = i18n.global;
    expect(t('units.kW', { value: n(1234.56, 'power') })).toBe('1,234.6 kW');
    i18n.global.locale.value = 'ru';
    expect(t('units.kWh', { value: n(1234.56, 'energy') })).toMatch(/^1\s234,6 кВт·ч$/);
    i18n.global.locale.value = 'zh';
    expect(t('stationStatus.charging')).toBe('充电中');
  });
});
