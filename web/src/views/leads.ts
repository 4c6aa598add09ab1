// Leads board (线索推送): leads per province on a tile grid map, batches, and overdue leads.
import { api, ApiError } from '../api';
import { chart } from '../charts';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { batchesOf, leadsByProvince } from '../provinces';
import type { Lead } from '../types';

export function leadsView(root: HTMLElement): void {
  const out = h('div', { id: 'leads-out' });
  root.append(h('h2', {}, t('leads.title')), out);
  void (async () => {
    let leads: Lead[] = [];
    try {
      leads = (await api<{ leads: Lead[] }>('GET', '/api/leads')).leads;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) out.append(h('div', { class: 'muted', id: 'leads-unavailable' }, t('leads.unavailable')));
      else out.append(errorBox(e));
    }
    const counts = leadsByProvince(leads);
    const box = h('div', { id: 'leads-map', class: 'chart' });
    out.append(h('h3', {}, t('leads.map')), h('p', { class: 'muted' }, t('leads.map_note')), box);
    const name = (c: (typeof counts)[number]) => (lang() === 'en' ? c.province.en : c.province.zh);
    const max = Math.max(1, ...counts.map((c) => c.leads));
    requestAnimationFrame(() => chart(box).setOption({
      tooltip: { formatter: (p: { data: number[]; dataIndex: number }) => `${name(counts[p.dataIndex])}: ${counts[p.dataIndex].leads} (${t('leads.overdue')}: ${counts[p.dataIndex].overdue})` },
      grid: { left: 10, right: 10, top: 10, bottom: 50 },
      xAxis: { type: 'category', data: [...Array(10).keys()], show: false },
      yAxis: { type: 'category', data: [...Array(8).keys()], inverse: true, show: false },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 5, inRange: { color: ['#f3f6fa', '#c23531'] } },
      series: [{
        type: 'heatmap',
        data: counts.map((c) => [c.province.x, c.province.y, c.leads]),
        label: { show: true, formatter: (p: { dataIndex: number }) => `${name(counts[p.dataIndex])}\n${counts[p.dataIndex].leads}`, fontSize: 10 },
        itemStyle: { borderColor: '#fff', borderWidth: 3 },
      }],
    }));
    const batches = batchesOf(leads);
    out.append(h('h3', {}, t('leads.batches')), table([t('leads.batch'), t('leads.jurisdiction'), t('leads.count'), t('leads.overdue'), t('common.time')],
      batches.map((b) => [b.label, b.jurisdiction, b.leads, b.overdue, b.pushed_at]), { id: 'leads-batches' }));
    const overdue = leads.filter((l) => l.overdue);
    out.append(h('h3', {}, `${t('leads.overdue')}: ${overdue.length}`), table(['#', t('leads.batch'), t('leads.jurisdiction'), t('common.cases'), t('common.category'), t('leads.deadline'), t('common.status')],
      overdue.map((l) => [l.id, l.batch_label, l.jurisdiction_detail?.name ?? l.body?.jurisdiction?.name ?? l.jurisdiction, l.cases.join(', '), tv('category', l.category), l.deadline ?? l.deadline_at ?? '', l.status]), { id: 'leads-overdue' }));
  })();
}
