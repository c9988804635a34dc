import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { useUiStore } from './ui';

afterEach(() => {
  localStorage.clear();
  vi.useRealTimers();
});

describe('ui store', () => {
  it('persists theme and locale and restores them in a new session', async () => {
    setActivePinia(createPinia());
    const ui = useUiStore();
    ui.toggleTheme();
    const chosen = ui.theme;
    ui.setLocale('ru');
    await nextTick();

    setActivePinia(createPinia());
    const next = useUiStore();
    expect(next.theme).toBe(chosen);
    expect(next.locale).toBe('ru');
  });

  it('shows a toast once, and dismisses it after its lifetime', () => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    const ui = useUiStore();
    ui.notify('error', 'errors.network');
    ui.notify('error', 'errors.network');
    expect(ui.toasts).toHaveLength(1);
    vi.advanceTimersByTime(8000);
    expect(ui.toasts).toHaveLength(0);
  });
});
