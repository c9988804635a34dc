/**
 * Number and time formatting for charts in the user's locale: kW/V/A through the catalogue's unit
 * messages, axis times through Intl for the locale's own clock (24 h in ru/zh, 12 h in en).
 */
import { computed } from 'vue';
import type { ChartFormatters } from '../components/charts/power-history-option';
import type { MeterQuantity } from '../components/charts/meter-series';
import { LOCALE_TAGS, isLocale } from '../i18n/locales';
import { useT } from './useT';

export function useChartFormat() {
  const { t, n, locale } = useT();
  const tag = computed(() => LOCALE_TAGS[isLocale(locale.value) ? locale.value : 'en']);
  const clock = computed(() => new Intl.DateTimeFormat(tag.value, { hour: '2-digit', minute: '2-digit' }));
  const dated = computed(
    () =>
      new Intl.DateTimeFormat(tag.value, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
  );
  const withSeconds = computed(
    () => new Intl.DateTimeFormat(tag.value, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  );

  const kW = (value: number) => t('units.kW', { value: n(value, 'power') });
  const tick = computed(() => new Intl.NumberFormat(tag.value, { maximumFractionDigits: 1 }));
  const axisUnit: Record<MeterQuantity, (value: number) => string> = {
    power: (value) => t('units.kW', { value: tick.value.format(value) }),
    voltage: (value) => t('charts.units.V', { value: tick.value.format(value) }),
    current: (value) => t('charts.units.A', { value: tick.value.format(value) }),
  };
  const unit: Record<MeterQuantity, (value: number) => string> = {
    power: kW,
    voltage: (value) => t('charts.units.V', { value: n(value, 'integer') }),
    current: (value) => t('charts.units.A', { value: n(value, 'power') }),
  };

  /** Formatters for a chart whose points are minutes apart (axis shows hh:mm) … */
  const minutes = computed((): ChartFormatters => ({
    value: kW,
    axisValue: axisUnit.power,
    axisTime: (atMs) => clock.value.format(atMs),
    tooltipTime: (atMs) => dated.value.format(atMs),
  }));

  /** … and for a quantity read every few seconds. */
  function seconds(quantity: MeterQuantity): ChartFormatters {
    return {
      value: unit[quantity],
      axisValue: axisUnit[quantity],
      axisTime: (atMs) => clock.value.format(atMs),
      tooltipTime: (atMs) => withSeconds.value.format(atMs),
    };
  }

  return { minutes, seconds, unit, kW, clock, dated };
}
