// Statistics (战果统计): totals, freeze orders by status, warnings.
import { api } from '../api';
import { chart } from '../charts';
import { errorBox, h } from '../dom';
import { lang, t, tv } from '../i18n';
import { casesBy, provinceOf } from '../provinces';
import type { CaseSummary, Stats } from '../types';

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
          ...w.map(([k, v]) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, tv('stats.w', k)), h('div', { class: 'kpi-value' }, String(v))))));
      }
      const list = await api<{ cases: CaseSummary[] }>('GET', '/api/cases?limit=1000').catch(() => ({ cases: [] as CaseSummary[] }));
      if (list.cases.length) {
        const byCat = casesBy(list.cases, (c) => c.category || 'other');
        const byProv = casesBy(list.cases, (c) => provinceOf(c.region || '')?.code ?? '');
        const provName = (code: string) => {
          const p = provinceOf(code);
          return p ? (lang() === 'en' ? p.en : p.zh) : '?';
        };
        const pie = h('div', { id: 'stats-categories', class: 'chart' });
        const bars = h('div', { id: 'stats-provinces', class: 'chart' });
        out.append(h('h3', {}, t('stats.by_category')), pie, h('h3', {}, t('stats.by_province')), bars);
        requestAnimationFrame(() => {
          chart(pie).setOption({
            tooltip: { trigger: 'item' },
            legend: { orient: 'vertical', left: 10, top: 10 },
            series: [{ type: 'pie', radius: ['35%', '65%'], data: byCat.map((c) => ({ name: tv('category', c.key), value: c.cases })) }],
          });
          chart(bars).setOption({
            tooltip: { trigger: 'axis' },
            legend: { top: 0, data: [t('stats.cases'), t('common.loss')] },
            grid: { left: 60, right: 70, top: 30, bottom: 60 },
            xAxis: { type: 'category', data: byProv.map((p) => provName(p.key)), axisLabel: { rotate: 40 } },
            yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value' }],
            series: [
              { name: t('stats.cases'), type: 'bar', data: byProv.map((p) => p.cases), itemStyle: { color: '#c23531' } },
              { name: t('common.loss'), type: 'bar', yAxisIndex: 1, data: byProv.map((p) => p.loss), itemStyle: { color: '#91a3b0' } },
            ],
          });
        });
      }
    } catch (e) {
      out.append(errorBox(e));
    }
  })();
}
