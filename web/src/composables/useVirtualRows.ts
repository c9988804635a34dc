/**
 * Windowing for a scrolling list of fixed-height rows: only the rows in view (plus overscan) are
 * rendered, so thousands of stations cost as much as a screenful.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';

export interface VirtualRowsOptions {
  count: Ref<number>;
  rowHeightPx: number;
  overscan?: number;
  /** Used until the container has been measured (and in environments without layout). */
  fallbackViewportPx?: number;
}

export function visibleRange(
  scrollTopPx: number,
  viewportPx: number,
  rowHeightPx: number,
  count: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(scrollTopPx / rowHeightPx);
  const last = Math.ceil((scrollTopPx + viewportPx) / rowHeightPx);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

export function useVirtualRows(options: VirtualRowsOptions) {
  const container = ref<HTMLElement | null>(null);
  const scrollTopPx = ref(0);
  const viewportPx = ref(0);
  const overscan = options.overscan ?? 8;
  let observer: ResizeObserver | undefined;

  const range = computed(() =>
    visibleRange(
      scrollTopPx.value,
      viewportPx.value || (options.fallbackViewportPx ?? 800),
      options.rowHeightPx,
      options.count.value,
      overscan,
    ),
  );
  const totalHeightPx = computed(() => options.count.value * options.rowHeightPx);
  const offsetPx = computed(() => range.value.start * options.rowHeightPx);

  function measure(): void {
    if (container.value) viewportPx.value = container.value.clientHeight;
  }

  function onScroll(): void {
    if (container.value) scrollTopPx.value = container.value.scrollTop;
  }

  function scrollToTop(): void {
    if (container.value) container.value.scrollTop = 0;
    scrollTopPx.value = 0;
  }

  // The list element may come and go (empty and loading states), so follow the ref, not the mount.
  watch(container, (element) => {
    observer?.disconnect();
    observer = undefined;
    scrollTopPx.value = element?.scrollTop ?? 0;
    measure();
    if (element && typeof ResizeObserver === 'function') {
      observer = new ResizeObserver(measure);
      observer.observe(element);
    }
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { container, range, totalHeightPx, offsetPx, onScroll, scrollToTop };
}
