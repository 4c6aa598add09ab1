// ECharts with only the pieces the dashboard draws, to keep the bundle small.
import * as echarts from 'echarts/core';
import { SankeyChart, HeatmapChart, ScatterChart, BarChart, PieChart } from 'echarts/charts';
import { TooltipComponent, GridComponent, VisualMapComponent, TitleComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([SankeyChart, HeatmapChart, ScatterChart, BarChart, PieChart, TooltipComponent, GridComponent,
  VisualMapComponent, TitleComponent, LegendComponent, CanvasRenderer]);

const live = new Set<echarts.ECharts>();

export function chart(el: HTMLElement): echarts.ECharts {
  const c = echarts.init(el);
  live.add(c);
  return c;
}

const others = new Set<() => void>();

// Something else to tear down when the page is left (a Cytoscape instance).
export function onLeave(f: () => void): void {
  others.add(f);
}

// Charts of the page being left.
export function disposeCharts(): void {
  for (const c of live) c.dispose();
  live.clear();
  for (const f of others) {
    try {
      f();
    } catch {
      /* already gone */
    }
  }
  others.clear();
}

window.addEventListener('resize', () => {
  for (const c of live) c.resize();
});
