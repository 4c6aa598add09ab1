// ECharts with only the pieces the dashboard draws, to keep the bundle small.
import * as echarts from 'echarts/core';
import { SankeyChart, HeatmapChart, ScatterChart, BarChart, PieChart, LineChart, MapChart } from 'echarts/charts';
import { TooltipComponent, GridComponent, VisualMapComponent, TitleComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { tooltipLines } from './escape';
import { provinceOfFeature, type Province } from './provinces';

echarts.use([SankeyChart, HeatmapChart, ScatterChart, BarChart, PieChart, LineChart, MapChart, TooltipComponent, GridComponent,
  VisualMapComponent, TitleComponent, LegendComponent, CanvasRenderer]);

const live = new Set<echarts.ECharts>();

// Tooltips drawn on the chart's canvas, never as HTML: the server's Content-Security-Policy allows
// no inline style (ECharts' HTML tooltips are markup with style attributes), and no text from the
// data (an account number, a name) is ever read as markup. Line breaks are '\n'.
export function tooltip(options: Record<string, unknown> = {}): Record<string, unknown> {
  return { renderMode: 'richText', confine: true, ...options };
}

export function chart(el: HTMLElement): echarts.ECharts {
  const c = echarts.init(el);
  live.add(c);
  return c;
}

export interface MapCell { province: Province; value: number; tip: string }  // tip: plain text

// Provinces on the tile grid map (provinces.ts), each square shaded by its value and labelled with
// its name and value; `tip` is what hovering shows.
export function provinceMap(el: HTMLElement, cells: MapCell[], name: (p: Province) => string): void {
  const max = Math.max(1, ...cells.map((c) => c.value));
  chart(el).setOption({
    tooltip: tooltip({ formatter: (p: { dataIndex: number }) => tooltipLines(cells[p.dataIndex].tip) }),
    grid: { left: 10, right: 10, top: 10, bottom: 50 },
    xAxis: { type: 'category', data: [...Array(10).keys()], show: false },
    yAxis: { type: 'category', data: [...Array(8).keys()], inverse: true, show: false },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 5, inRange: { color: ['#f3f6fa', '#c23531'] } },
    series: [{
      type: 'heatmap',
      data: cells.map((c) => [c.province.x, c.province.y, c.value]),
      label: { show: true, formatter: (p: { dataIndex: number }) => `${name(cells[p.dataIndex].province)}\n${cells[p.dataIndex].value}`, fontSize: 10 },
      itemStyle: { borderColor: '#fff', borderWidth: 3 },
    }],
  });
}

export interface GeoMap { type: 'FeatureCollection'; features: { properties?: { adcode?: number | string; name?: string } }[] }

// The same cells on the deployer's GeoJSON map (`fanzha serve --map`): each province's shape shaded
// by its value. Features that are no province (the nine-dash line, islands) are drawn unshaded.
export function standardMap(el: HTMLElement, geo: GeoMap, cells: MapCell[], name: (p: Province) => string): void {
  echarts.registerMap('fanzha-provinces', geo as unknown as Parameters<typeof echarts.registerMap>[1]);
  const byCode = new Map(cells.map((c) => [c.province.code, c]));
  const data = geo.features.flatMap((f) => {
    const p = provinceOfFeature(f.properties);
    const cell = p && byCode.get(p.code);
    return cell && f.properties?.name ? [{ name: f.properties.name, value: cell.value, tip: cell.tip }] : [];
  });
  const max = Math.max(1, ...cells.map((c) => c.value));
  chart(el).setOption({
    tooltip: tooltip({ formatter: (p: { data?: { tip: string } }) => tooltipLines(p.data?.tip) }),
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 5, inRange: { color: ['#f3f6fa', '#c23531'] } },
    series: [{
      type: 'map', map: 'fanzha-provinces', data, roam: true,
      label: { show: true, fontSize: 9, formatter: (p: { name: string }) => {
        const pr = provinceOfFeature({ name: p.name });
        return pr ? name(pr) : '';
      } },
    }],
  });
}

let served: Promise<GeoMap | null> | null = null;

// The map `fanzha serve --map` serves (fetched once), or null when it serves none.
export function servedMap(): Promise<GeoMap | null> {
  served ??= (async () => {
    try {
      const res = await fetch('/api/map');
      if (!res.ok) return null;
      const geo = (await res.json()) as GeoMap;
      return geo?.type === 'FeatureCollection' && Array.isArray(geo.features) ? geo : null;
    } catch {
      return null;
    }
  })();
  return served;
}

// Provinces shaded by value: on the served standard map, else on the tile grid. Says which (also
// as the element's data-map), or null when the page was left before the map arrived.
export async function provincesMap(el: HTMLElement, cells: MapCell[], name: (p: Province) => string): Promise<'standard' | 'tiles' | null> {
  const geo = await servedMap();
  if (!el.isConnected) return null;
  el.dataset.map = geo ? 'standard' : 'tiles';
  if (geo) standardMap(el, geo, cells, name);
  else provinceMap(el, cells, name);
  return geo ? 'standard' : 'tiles';
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

// A chart whose box has no area is left as it is until the next resize: ECharts' Sankey throws on
// a zero-width layout, and Chromium reports a 1x1 window for a moment while it takes a full-page
// screenshot.
window.addEventListener('resize', () => {
  for (const c of live) {
    const el = c.getDom();
    if (el.clientWidth > 0 && el.clientHeight > 0) c.resize();
  }
});
