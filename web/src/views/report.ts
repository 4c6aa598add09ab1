// Report intake (接警): one case, optionally with the victim's payments, POST /api/cases.
import { api } from '../api';
import { errorBox, h } from '../dom';
import { lang, t, tf, tv, type Lang } from '../i18n';
import type { Answer } from '../types';

// FORMATS.md's built-in list, in its order (core/model.cc BuiltinCategories).
export const CATEGORIES = ['fake_goods_sale', 'impersonation_official', 'impersonation_service', 'investment', 'romance',
  'loan', 'refund', 'part_time_job', 'impersonation_acquaintance', 'other'];

function nowRfc3339(): string {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

export interface ParsedForm { case: Record<string, unknown>; transfers: Record<string, string>[] }

// The form's text fields as the API's body. Pure; throws with the line that is wrong, in `language`.
export function buildCaseBody(f: Record<string, string>, language: Lang = lang()): ParsedForm {
  const identifiers = (f.identifiers ?? '').split('\n').map((l) => l.trim()).filter(Boolean).map((l, i) => {
    const k = l.indexOf(':');
    if (k <= 0) throw new Error(tf('report.bad_identifier', { n: i + 1 }, language));
    return { type: l.slice(0, k).trim(), value: l.slice(k + 1).trim() };
  });
  const transfers = (f.transfers ?? '').split('\n').map((l) => l.trim()).filter(Boolean).map((l, i) => {
    const p = l.split(',').map((x) => x.trim());
    if (p.length < 5) throw new Error(tf('report.bad_transfer', { n: i + 1 }, language));
    return { id: p[0], time: p[1], from: p[2], to: p[3], amount: p[4], channel: p[5] || 'transfer', memo: p[6] ?? '' };
  });
  const ids = (f.transfer_ids ?? '').split(/[,\s]+/).filter(Boolean);
  for (const tr of transfers) if (!ids.includes(tr.id)) ids.push(tr.id);
  const c: Record<string, unknown> = { id: f.id.trim(), reported_at: f.reported_at.trim() };
  if (f.region) c.region = f.region.trim();
  if (f.category) c.category = f.category;
  if (f.loss) c.loss = f.loss.trim();
  if (f.narrative) c.narrative = f.narrative;
  if (f.victim_name || f.victim_phone || f.victim_account) {
    c.victim = { name: f.victim_name ?? '', phone: f.victim_phone ?? '', account: f.victim_account ?? '' };
  }
  c.transfers = ids;
  c.identifiers = identifiers;
  return { case: c, transfers };
}

export function reportView(root: HTMLElement, go: (hash: string) => void): void {
  const field = (name: string, label: string, el: HTMLElement) => h('label', {}, label, el);
  const input = (name: string, value = '') => h('input', { name, id: `report-${name}`, value });
  const area = (name: string) => h('textarea', { name, id: `report-${name}`, rows: 3 });
  const select = h('select', { name: 'category', id: 'report-category' },
    ...CATEGORIES.map((c) => h('option', { value: c }, tv('category', c))));
  const out = h('div', { id: 'report-result' });
  const form = h('form', { class: 'card grid2', id: 'report-form' },
    field('id', t('report.id'), input('id')),
    field('reported_at', t('report.reported_at'), input('reported_at', nowRfc3339())),
    field('region', t('report.region'), input('region')),
    field('category', t('report.category'), select),
    field('loss', t('report.loss'), input('loss')),
    field('victim_name', t('report.victim_name'), input('victim_name')),
    field('victim_phone', t('report.victim_phone'), input('victim_phone')),
    field('victim_account', t('report.victim_account'), input('victim_account')),
    h('label', { class: 'wide' }, t('report.narrative'), area('narrative')),
    h('label', { class: 'wide' }, t('report.identifiers'), area('identifiers')),
    h('label', { class: 'wide' }, t('report.transfer_ids'), input('transfer_ids')),
    h('label', { class: 'wide' }, t('report.transfers'), area('transfers')),
    h('div', { class: 'wide' }, h('button', { type: 'submit', id: 'report-submit' }, t('report.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    const values: Record<string, string> = {};
    for (const [k, v] of new FormData(form).entries()) values[k] = String(v);
    try {
      const body = buildCaseBody(values);
      const a = await api<Answer<'/api/cases', 'post'>>('POST', '/api/cases', body);
      out.append(h('div', { class: 'ok', id: 'report-ok' }, `${a.created ? t('report.created') : t('report.exists')}: ${a.case} `,
        h('a', { href: `#/trace/${encodeURIComponent(a.case)}`, id: 'report-go-trace', onclick: (ev: Event) => { ev.preventDefault(); go(`#/trace/${encodeURIComponent(a.case)}`); } }, t('report.go_trace'))));
    } catch (err) {
      out.append(errorBox(err));
    }
  });
  root.append(h('h2', {}, t('report.title')), form, out);
}
