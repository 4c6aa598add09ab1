// Statistics (战果统计): the daily report, cases and loss by day, by province and city, by fraud type,
// all counted within the caller's region by the server; national totals for a centre. The figures
// behind each chart, and the stages table, save as CSV.
import { api, ApiError, query, session } from '../api';
import { chart, provincesMap, tooltip } from '../charts';
import { csvButton, type CsvCell } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { byProvince, dailyText, yuan } from '../figures';
import { lang, t, tv } from '../i18n';
import { show } from '../money';
import type { Province } from '../provinces';
import type { Breakdown, DailyFigures, FigureRow, Stats } from '../types';

const provinceName = (p: Province) => (lang() === 'en' ? p.en : p.zh);

// A breakdown's rows as a CSV file: the key's own columns, then every figure (money in decimal yuan).
function figuresCsv(what: string, keyHead: () => string[], key: (r: FigureRow) => CsvCell[], rows: FigureRow[]): HTMLElement {
  return csvButton(what, () => [...keyHead(), t('stats.cases'), t('fig.linked'), t('common.loss'), t('fig.frozen'), t('fig.returned'),
    t('fig.leads_pushed'), t('fig.leads_answered'), t('fig.leads_overdue'), t('fig.arrests'), t('fig.solved'), t('fig.warnings'),
    t('fig.takedowns')],
  () => rows.map((r) => [...key(r), r.cases, r.linked, r.loss, r.frozen, r.returned, r.leads_pushed, r.leads_answered, r.leads_overdue,
    r.arrests, r.solved, r.warnings, r.takedowns]));
}

export function statsView(root: HTMLElement): void {
  const out = h('div', { id: 'stats-out' });
  const region = regionText(session().user?.region) || t('stats.everywhere');
  root.append(h('h2', {}, t('stats.title')), h('p', { class: 'muted' }, `${t('stats.scope')}: ${region}`), out);
  const daily = h('div', { id: 'stats-daily', class: 'card' });
  out.append(daily);
  dailySection(daily, '');
  void (async () => {
    try {
      const by = (dim: string) => api<Breakdown>('GET', `/api/stats/breakdown${query({ by: dim })}`).then((b) => b.rows);
      const [days, regions, categories] = await Promise.all([by('day'), by('region'), by('category')]);
      byDayChart(out, days);
      byRegionCharts(out, regions);
      byCategoryChart(out, categories);
      if (session().user?.role === 'centre') await totals(out);
    } catch (e) {
      out.append(errorBox(e));
    }
  })();
}

// The day's report in words, a day picker and the full HTML report in a window of its own.
function dailySection(box: HTMLElement, day: string): void {
  const picker = h('input', { type: 'date', id: 'stats-day', value: day });
  const text = h('p', { id: 'stats-daily-text' });
  const open = h('button', { id: 'stats-open-report', disabled: true }, t('stats.open_report'));
  box.replaceChildren(h('h3', {}, t('stats.daily')),
    h('div', { class: 'row' }, h('label', {}, t('stats.day'), picker), open), text);
  picker.addEventListener('change', () => dailySection(box, picker.value));
  void api<DailyFigures>('GET', `/api/stats/daily${query({ day })}`).then((d) => {
    picker.value = d.day;
    text.textContent = dailyText(d, lang());
    open.disabled = false;
    // The report is the server's own page: shown from a blob, not re-rendered here.
    open.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([d.html], { type: 'text/html' }));
      window.open(url, '_blank');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }).catch((e) => {
    // No case reported in the caller's region (a hotline operator's, say): nothing to report, not
    // an error.
    if (e instanceof ApiError && e.status === 404) text.append(h('span', { class: 'muted', id: 'stats-daily-none' }, t('stats.no_daily')));
    else box.append(errorBox(e));
  });
}

function byDayChart(out: HTMLElement, rows: FigureRow[]): void {
  const box = h('div', { id: 'stats-days', class: 'chart' });
  out.append(h('h3', {}, t('stats.by_day'), figuresCsv('stats-by-day', () => [t('stats.day')], (r) => [r.key], rows)), box);
  requestAnimationFrame(() => chart(box).setOption({
    tooltip: tooltip({ trigger: 'axis' }),
    legend: { top: 0, data: [t('stats.cases'), t('common.loss')] },
    grid: { left: 60, right: 80, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.key) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value' }],
    series: [
      { name: t('stats.cases'), type: 'line', data: rows.map((r) => r.cases), itemStyle: { color: '#c23531' } },
      { name: t('common.loss'), type: 'line', yAxisIndex: 1, data: rows.map((r) => yuan(r.loss)), itemStyle: { color: '#91a3b0' } },
    ],
  }));
}

function byRegionCharts(out: HTMLElement, rows: FigureRow[]): void {
  const map = h('div', { id: 'stats-map', class: 'chart' });
  const note = h('p', { class: 'muted' });
  const cities = h('div', { id: 'stats-cities', class: 'chart' });
  out.append(h('h3', {}, t('stats.map')), note, map,
    h('h3', {}, t('stats.by_city'), figuresCsv('stats-by-region', () => [t('common.region'), t('fig.name')], (r) => [r.key, r.name], rows)),
    cities);
  const top = rows.filter((r) => r.cases > 0 && r.key !== 'unknown').sort((a, b) => b.cases - a.cases).slice(0, 20);
  requestAnimationFrame(() => {
    void provincesMap(map, byProvince(rows).map((p) => ({
      province: p.province, value: p.cases, tip: `${provinceName(p.province)}: ${p.cases} · ${t('common.loss')} ${show(p.loss.toFixed(2))}`,
    })), provinceName).then((drawn) => {
      if (drawn) note.textContent = t(drawn === 'standard' ? 'map.standard_note' : 'map.tiles_note');
    });
    chart(cities).setOption({
      tooltip: tooltip({ trigger: 'axis' }),
      legend: { top: 0, data: [t('stats.cases'), t('common.loss')] },
      grid: { left: 60, right: 80, top: 30, bottom: 80 },
      xAxis: { type: 'category', data: top.map((r) => regionText(r.key, r.name)), axisLabel: { rotate: 40 } },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value' }],
      series: [
        { name: t('stats.cases'), type: 'bar', data: top.map((r) => r.cases), itemStyle: { color: '#c23531' } },
        { name: t('common.loss'), type: 'bar', yAxisIndex: 1, data: top.map((r) => yuan(r.loss)), itemStyle: { color: '#91a3b0' } },
      ],
    });
  });
}

function byCategoryChart(out: HTMLElement, rows: FigureRow[]): void {
  const pie = h('div', { id: 'stats-categories', class: 'chart' });
  out.append(h('h3', {}, t('stats.by_category'),
    figuresCsv('stats-by-category', () => [t('common.category')], (r) => [tv('category', r.key)], rows)), pie);
  requestAnimationFrame(() => chart(pie).setOption({
    tooltip: tooltip({ trigger: 'item' }),
    legend: { orient: 'vertical', left: 10, top: 10 },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.map((r) => ({ name: tv('category', r.key), value: r.cases })) }],
  }));
}

// National totals, freeze orders by status and warnings (GET /api/stats: centres).
async function totals(out: HTMLElement): Promise<void> {
  const s = await api<Stats>('GET', '/api/stats');
  out.append(h('h3', {}, t('stats.totals')), h('div', { class: 'kpis', id: 'stats-totals' },
    ...([['stats.accounts', s.accounts], ['stats.transfers', s.transfers], ['stats.cases', s.cases], ['stats.identifiers', s.identifiers]] as const)
      .map(([k, v]) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, t(k)), h('div', { class: 'kpi-value' }, String(v ?? 0))))));
  const orders = Object.entries(s.freeze_orders ?? {});
  const box = h('div', { id: 'stats-orders', class: 'chart' });
  out.append(h('h3', {}, t('stats.freeze_orders')), box);
  requestAnimationFrame(() => chart(box).setOption({
    tooltip: tooltip(),
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: orders.map(([k]) => tv('status', k)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: orders.map(([, v]) => v), itemStyle: { color: '#c23531' } }],
  }));
  // How long cases wait at each stage of the justice process, by region (诉讼阶段用时).
  if (s.stages.length) {
    const days = (hours: number) => (hours / 24).toFixed(1);
    const head = () => [t('common.region'), t('proc.stage'), t('stats.stage_now'), t('proc.overdue'), t('stats.stage_longest'), t('stats.stage_mean')];
    const rows = s.stages.map((r) => [regionText(r.region, r.name), tv('stage', r.stage), r.cases_now, r.overdue_now, days(r.longest_now_hours),
      r.passed ? days(r.mean_wait_hours) : '']);
    out.append(h('h3', {}, t('stats.stages'), csvButton('stats-stages', head, () => rows)), table(head(), rows, { id: 'stats-stages' }));
  }
  const w = Object.entries(s.warnings ?? {});
  if (w.length) {
    out.append(h('h3', {}, t('stats.warnings')), h('div', { class: 'kpis' },
      ...w.map(([k, v]) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, tv('stats.w', k)), h('div', { class: 'kpi-value' }, String(v))))));
  }
}
