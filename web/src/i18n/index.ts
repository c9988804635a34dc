/** The app's vue-i18n instance (composition mode), typed by the English catalogue. */
import { createI18n } from 'vue-i18n';
import { en, type MessageSchema } from './en';
import { datetimeFormats, numberFormats } from './formats';
import type { Locale } from './locales';
import { ru } from './ru';
import { zh } from './zh';

export const messages: Record<Locale, MessageSchema> = { en, ru, zh };

export function createAppI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    datetimeFormats,
    numberFormats,
    missingWarn: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
