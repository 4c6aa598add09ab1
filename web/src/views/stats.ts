// Statistics (战果统计): totals, freeze orders by status, warnings.
import { api } from '../api';
import { chart } from '../charts';
import { errorBox, h } from '../dom';
import { t, tv } from '../i18n';
import type { Stats } from '../types';

export function statsView(root: HTMLElement): void {
  const out = h('div', { id: 'stats-out' });
  root.append(h('h2', {}, t('stats.title')), out);
  void (async () => {
    try {
      const s = await api<Stats>('GET', '/api/stats');
      out.append(h('div', { class: 'kpis' },
        ...([['stats.accounts', s.accounts], ['stats.transfers', s.transfers], ['stats.cases', s.cases], ['stats.identifiers', s.identifiers]] as const)
          .map(([k, v]) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, t(k)), h('div', { class: 'kpi-value' }, String(v ?? 0))))));
      const orders = Object.entries(s.freeze_orders ?? {});
      const box = h('div', { id: 'stats-orders', class: 'chart' });
      out.append(h('h3', {}, t('stats.freeze_orders')), box);
      requestAnimationFrame(() => chart(box).setOption({
        tooltip: {},
        grid: { left: 60, right: 20, top: 20, bottom: 40 },
        xAxis: { type: 'category', data: orders.map(([k]) => tv('status', k)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', data: orders.map(([, v]) => v), itemStyle: { color: '#c23531' } }],
      }));
      const w = Object.entries(s.warnings ?? {});
      if (w.length) {
        out.append(h('h3', {}, t('stats.warnings')), h('div', { class: 'kpis' },
          ...w.map(([k, v]) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, k), h('div', { class: 'kpi-value' }, String(v))))));
      }
    } catch (e) {
      out.append(errorBox(e));
    }
  })();
}
