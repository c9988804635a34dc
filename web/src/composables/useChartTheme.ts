/** The chart colours of the current theme, re-read from the CSS variables when the theme changes. */
import { shallowRef, watch, type Ref } from 'vue';
import { FALLBACK_THEME, readChartTheme, type ChartTheme } from '../components/charts/chart-theme';
import { useUiStore } from '../stores/ui';

export function useChartTheme(): Readonly<Ref<ChartTheme>> {
  const ui = useUiStore();
  const theme = shallowRef<ChartTheme>(FALLBACK_THEME);
  const read = () => {
    if (typeof document === 'undefined' || typeof getComputedStyle !== 'function') return;
    theme.value = readChartTheme(getComputedStyle(document.documentElement));
  };
  // `post`: main.ts sets <html data-theme> in its own watcher first, then the variables are current.
  watch(() => ui.theme, read, { immediate: true, flush: 'post' });
  return theme;
}
