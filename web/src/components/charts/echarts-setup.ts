/**
 * Registers the few ECharts parts the dashboard draws with (line and custom series, grid, tooltip,
 * canvas), so the bundle carries those and not the whole library. Imported by each chart component.
 */
import { CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, CustomChart, GridComponent, TooltipComponent, CanvasRenderer]);
