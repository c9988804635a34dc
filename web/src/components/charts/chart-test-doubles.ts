/**
 * Test double for chart components: ECharts cannot draw in happy-dom, so tests replace
 * `vue-echarts` with a stub that keeps the option it was given.
 */
import { defineComponent, h, type PropType } from 'vue';
import type { ChartOption } from './chart-option';

export const VChartStub = defineComponent({
  name: 'VChartStub',
  props: {
    option: { type: Object as PropType<ChartOption>, required: true },
    autoresize: { type: [Boolean, Object], default: false },
  },
  setup: () => () => h('div', { class: 'vchart-stub' }),
});
