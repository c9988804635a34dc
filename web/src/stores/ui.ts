/** Theme, locale and toasts: user-interface state that outlives any one page and is persisted. */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { MessageKey, MessageParams } from '../composables/useT';
import { isLocale, preferredLocale, type Locale } from '../i18n/locales';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export type ToastKind = 'error' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  /** An i18n key; toasts never carry raw text so they follow the locale. */
  messageKey: MessageKey;
  params?: MessageParams;
}

const STORAGE_KEYS = { theme: 'voltmesh.theme', locale: 'voltmesh.locale' } as const;
const TOAST_LIFETIME_MS: Record<ToastKind, number> = { error: 8000, info: 4000 };
const MAX_TOASTS = 4;

function readStored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage can be disabled (private mode, quota); the choice then lasts for this tab only.
  }
}

function initialTheme(): Theme {
  const stored = readStored(STORAGE_KEYS.theme);
  if (stored === 'light' || stored === 'dark') return stored;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function initialLocale(): Locale {
  const stored = readStored(STORAGE_KEYS.locale);
  if (isLocale(stored)) return stored;
  return preferredLocale(globalThis.navigator?.languages ?? []);
}

export const useUiStore = defineStore('ui', () => {
  const theme = ref<Theme>(initialTheme());
  const locale = ref<Locale>(initialLocale());
  const toasts = ref<Toast[]>([]);
  let nextToastId = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  watch(theme, (value) => writeStored(STORAGE_KEYS.theme, value));
  watch(locale, (value) => writeStored(STORAGE_KEYS.locale, value));

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  function setLocale(value: Locale): void {
    locale.value = value;
  }

  function dismissToast(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
  }

  function notify(kind: ToastKind, messageKey: MessageKey, params?: MessageParams): void {
    // The same message twice in a row (a flapping connection) shows once.
    if (toasts.value.some((toast) => toast.messageKey === messageKey && toast.kind === kind)) return;
    const toast: Toast = { id: nextToastId++, kind, messageKey, ...(params ? { params } : {}) };
    toasts.value = [...toasts.value, toast].slice(-MAX_TOASTS);
    timers.set(
      toast.id,
      setTimeout(() => dismissToast(toast.id), TOAST_LIFETIME_MS[kind]),
    );
  }

  return { theme, locale, toasts, toggleTheme, setLocale, notify, dismissToast };
});
