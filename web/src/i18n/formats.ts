/** Date and number formats per locale. kW and kWh go through `decimal` formats plus a unit message. */
import type { IntlDateTimeFormat, IntlNumberFormat } from 'vue-i18n';
import type { Locale } from './locales';

const dateTime: IntlDateTimeFormat = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  long: {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  },
};

const number: IntlNumberFormat = {
  integer: { maximumFractionDigits: 0 },
  power: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  energy: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
};

export const datetimeFormats: Record<Locale, IntlDateTimeFormat> = {
  en: dateTime,
  ru: dateTime,
  zh: dateTime,
};

export const numberFormats: Record<Locale, IntlNumberFormat> = {
  en: number,
  ru: number,
  zh: number,
};

export const WATTS_PER_KILOWATT = 1000;
