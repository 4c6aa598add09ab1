// Leads board (线索推送): leads per province on the deployer's standard map (`fanzha serve --map`) or,
// without one, a tile grid map; batches, and overdue leads. Every lead, and the batches, save as CSV.
import { api, ApiError } from '../api';
import { provincesMap } from '../charts';
import { csvButton } from '../csv';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { batchesOf, leadsByProvince, type Province } from '../provinces';
import { chinaTime } from '../time';
import type { Answer, Lead } from '../types';

const jurisdiction = (l: Lead) => l.jurisdiction_detail?.name || l.jurisdiction;

// Every lead in the caller's scope, overdue or not, as a CSV file.
function leadsCsv(leads: Lead[]): HTMLElement {
  return csvButton('leads', () => [t('leads.id'), t('leads.batch'), t('leads.jurisdiction'), t('common.region'), t('common.cases'),
    t('common.category'), t('leads.pushed_at'), t('leads.deadline'), t('common.status'), t('leads.overdue')],
  () => leads.map((l) => [l.id, l.batch_label, jurisdiction(l), l.jurisdiction, l.cases.join(' '), tv('category', l.category),
    chinaTime(l.pushed_at, true), chinaTime(l.deadline, true), tv('leadstatus', l.status), l.overdue ? t('common.yes') : t('common.no')]));
}

export function leadsView(root: HTMLElement): void {
  const out = h('div', { id: 'leads-out' });
  const title = h('h2', {}, t('leads.title'));
  root.append(title, out);
  void (async () => {
    let leads: Lead[] = [];
    try {
      leads = (await api<Answer<'/api/leads'>>('GET', '/api/leads')).leads;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) out.append(h('div', { class: 'muted', id: 'leads-unavailable' }, t('leads.unavailable')));
      else out.append(errorBox(e));
    }
    title.append(leadsCsv(leads));
    const counts = leadsByProvince(leads);
    const box = h('div', { id: 'leads-map', class: 'chart' });
    const note = h('p', { class: 'muted' });
    out.append(h('h3', {}, t('leads.map')), note, box);
    const name = (p: Province) => (lang() === 'en' ? p.en : p.zh);
    const cells = counts.map((c) => ({
      province: c.province, value: c.leads, tip: `${name(c.province)}: ${c.leads} (${t('leads.overdue')}: ${c.overdue})`,
    }));
    requestAnimationFrame(async () => {
      const drawn = await provincesMap(box, cells, name);
      if (drawn) note.textContent = t(drawn === 'standard' ? 'map.standard_note' : 'map.tiles_note');
    });
    const batches = batchesOf(leads);
    const batchHead = () => [t('leads.batch'), t('leads.jurisdiction'), t('leads.count'), t('leads.overdue'), t('common.time')];
    out.append(h('h3', {}, t('leads.batches'), csvButton('lead-batches', batchHead,
      () => batches.map((b) => [b.label, b.jurisdiction, b.leads, b.overdue, chinaTime(b.pushed_at, true)]))),
    table(batchHead(), batches.map((b) => [b.label, b.jurisdiction, b.leads, b.overdue, chinaTime(b.pushed_at)]), { id: 'leads-batches' }));
    const overdue = leads.filter((l) => l.overdue);
    out.append(h('h3', {}, `${t('leads.overdue')}: ${overdue.length}`), table(['#', t('leads.batch'), t('leads.jurisdiction'), t('common.cases'), t('common.category'), t('leads.deadline'), t('common.status')],
      overdue.map((l) => [l.id, l.batch_label, jurisdiction(l), l.cases.join(', '), tv('category', l.category), chinaTime(l.deadline), tv('leadstatus', l.status)]),
      { id: 'leads-overdue' }));
  })();
}

