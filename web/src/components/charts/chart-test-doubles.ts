/**
 * Test doubles for chart components: ECharts cannot draw in happy-dom, so tests replace
 * `vue-echarts` with a stub that keeps the option it was given, and the socket with a fake.
 */
import { defineComponent, h, type PropType } from 'vue';
import type { MeterLive } from '../../api/types';
import type { LiveSocket } from '../../live/live-sync';
import type { ChartOption } from './chart-option';

export const VChartStub = defineComponent({
  name: 'VChartStub',
  props: {
    option: { type: Object as PropType<ChartOption>, required: true },
    autoresize: { type: [Boolean, Object], default: false },
  },
  setup: () => () => h('div', { class: 'vchart-stub' }),
});

export interface FakeSocket {
  socket: LiveSocket;
  connected: boolean;
  emit(event: 'meter:update', meter: MeterLive): void;
  emit(event: 'connect'): void;
}

export function fakeSocket(): FakeSocket {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const fake: FakeSocket = {
    connected: false,
    socket: {
      on(event: string, handler: (...args: unknown[]) => void) {
        handlers.set(event, [...(handlers.get(event) ?? []), handler]);
        return this;
      },
      connect() {
        fake.connected = true;
        return this;
      },
      disconnect() {
        fake.connected = false;
        return this;
      },
      removeAllListeners() {
        handlers.clear();
        return this;
      },
    } as unknown as LiveSocket,
    emit(event: string, ...args: unknown[]) {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
  };
  return fake;
}
