// Leads board (线索推送): leads per province on the deployer's standard map (`fanzha serve --map`) or,
// without one, a tile grid map; batches, and overdue leads. Every lead, and the batches, save as CSV.
import { api, ApiError } from '../api';
import { feedbackBody, nextLeadStatuses } from '../feedback';
import { provincesMap } from '../charts';
import { csvButton } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { lang, t, tf, tv } from '../i18n';
import { batchesOf, leadsByProvince, type Province } from '../provinces';
import { show } from '../money';
import { chinaTime } from '../time';
import type { Answer, Lead } from '../types';

const jurisdiction = (l: Lead) => regionText(l.jurisdiction, l.jurisdiction_detail?.name);

// Every lead in the caller's scope, overdue or not, as a CSV file.
function leadsCsv(leads: Lead[]): HTMLElement {
  return csvButton('leads', () => [t('leads.id'), t('leads.batch'), t('leads.jurisdiction'), t('common.region'), t('common.cases'),
    t('common.category'), t('leads.pushed_at'), t('leads.deadline'), t('common.status'), t('leads.overdue')],
  () => leads.map((l) => [l.id, l.batch_label, jurisdiction(l), l.jurisdiction, l.cases.join(' '), tv('category', l.category),
    chinaTime(l.pushed_at, true), chinaTime(l.deadline, true), tv('leadstatus', l.status), l.overdue ? t('common.yes') : t('common.no')]));
}

// The feedback form of one lead: the statuses it may move to, what came of it, why.
function feedbackForm(l: Lead, done: () => void): HTMLElement {
  const next = nextLeadStatuses(l.status);
  if (!next.length) return h('span', { class: 'muted' }, tv('leadstatus', l.status));
  const id = `lead-${l.id}`;
  const status = h('select', { id: `${id}-status` }, ...next.map((s) => h('option', { value: s }, tv('leadstatus', s))));
  const arrests = h('input', { id: `${id}-arrests`, inputmode: 'numeric', size: 3, value: String(l.arrests ?? 0) });
  const solved = h('input', { id: `${id}-solved`, inputmode: 'numeric', size: 3, value: String(l.solved ?? 0) });
  const recovered = h('input', { id: `${id}-recovered`, inputmode: 'decimal', size: 10, value: l.recovered ?? '0.00' });
  const reason = h('input', { id: `${id}-reason`, size: 16 });
  const out = h('span', { class: 'error' });
  const form = h('form', { class: 'inline', id: `${id}-feedback` },
    status, h('label', {}, t('leads.arrests'), arrests), h('label', {}, t('leads.solved'), solved),
    h('label', {}, t('leads.recovered'), recovered), h('label', {}, t('leads.reason'), reason),
    h('button', { type: 'submit' }, t('leads.send')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = feedbackBody({ status: status.value, arrests: arrests.value, solved: solved.value, recovered: recovered.value, reason: reason.value });
    if ('field' in body) {
      out.textContent = tf('leads.bad_field', { field: t(`leads.${body.field}` as 'leads.arrests') });
      return;
    }
    try {
      await api('POST', `/api/leads/${l.id}/feedback`, body);
      done();
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  });
  return form;
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
      () => batches.map((b) => [b.label, regionText(b.jurisdiction), b.leads, b.overdue, chinaTime(b.pushed_at, true)]))),
    table(batchHead(), batches.map((b) => [b.label, regionText(b.jurisdiction), b.leads, b.overdue, chinaTime(b.pushed_at)]), { id: 'leads-batches' }));
    const overdue = leads.filter((l) => l.overdue);
    out.append(h('h3', {}, `${t('leads.overdue')}: ${overdue.length}`), table(['#', t('leads.batch'), t('leads.jurisdiction'), t('common.cases'), t('common.category'), t('leads.deadline'), t('common.status')],
      overdue.map((l) => [l.id, l.batch_label, jurisdiction(l), l.cases.join(', '), tv('category', l.category), chinaTime(l.deadline), tv('leadstatus', l.status)]),
      { id: 'leads-overdue' }));
    out.append(h('h3', {}, t('leads.feedback')), table(['#', t('leads.jurisdiction'), t('common.cases'), t('common.status'),
      t('leads.arrests'), t('leads.solved'), t('leads.recovered'), t('leads.feedback')],
    leads.map((l) => [l.id, jurisdiction(l), l.cases.join(', '), tv('leadstatus', l.status), l.arrests ?? 0, l.solved ?? 0,
      show(l.recovered ?? '0'), feedbackForm(l, () => { root.replaceChildren(); leadsView(root); })]),
    { id: 'leads-feedback' }));
  })();
}

