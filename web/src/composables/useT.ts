/**
 * vue-i18n's `t()` accepts any string. This wrapper accepts only keys of the English catalogue, so
 * a misspelt or removed key in a component is a type error, not a raw key on screen.
 */
import { useI18n } from 'vue-i18n';
import type { MessageSchema } from '../i18n/en';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<MessageSchema>;
export type MessageParams = Record<string, string | number>;

export function useT() {
  const { t: translate, n, d, locale } = useI18n();
  const t = (key: MessageKey, params?: MessageParams): string => translate(key, params ?? {});
  return { t, n, d, locale };
}
