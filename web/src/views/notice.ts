// A freeze order as the paper a bank receives (#/orders/{id}): 协助止付通知书, 协助冻结财产通知书 or
// 解除冻结财产通知书 by the order's kind, with its document number, the account and its holder, the
// amount, the legal basis, the requesting unit, its dates and deadline, a place for the seal and
// the bank's receipt. style.css's print rules print it alone on A4, black on white.
import { api } from '../api';
import { errorBox, h } from '../dom';
import { lang, t, tf, tv, type Lang } from '../i18n';
import { show } from '../money';
import { provinceOf } from '../provinces';
import { chinaDay, chinaTime } from '../time';
import type { Answer } from '../types';

export type OrderHistory = Answer<'/api/freeze-orders/{id}/history'>;

export interface Notice {
  title: string;
  document: string;
  to: string;
  body: string;  // the request, with the case and the legal basis
  fields: Array<[string, string]>;
  sign: Array<[string, string]>;
  seal: string;
  receipt: { title: string; text: string; sign: string };
}

// The unit that asked: its GB/T 2260 code with its province's name; none is a national centre.
function unitName(code: string, l: Lang): string {
  if (!code) return t('notice.national', l);
  const p = provinceOf(code);
  return p ? `${l === 'en' ? p.en : p.zh} ${code}` : code;
}

// The day the notice went out (its move to `sent`), or the day it was drafted while unsent.
function issueDay(o: OrderHistory, l: Lang): string {
  const sent = (o.history ?? []).find((s) => s.status === 'sent')?.at;
  const [y, m, d] = chinaDay(sent ?? o.created_at).split('-');
  return tf('notice.day', l === 'en' ? { y, m, d } : { y, m: Number(m), d: Number(d) }, l);
}

// An aside in the brackets of the language: "（已续期 1 次）", " (renewals: 1)".
const aside = (text: string, l: Lang) => (l === 'en' ? ` (${text})` : `（${text}）`);

function term(o: OrderHistory, l: Lang): string {
  if (o.deadline) {
    const until = tf('notice.until', { time: chinaTime(o.deadline) }, l);
    return o.renewals ? `${until}${aside(tf('notice.renewals', { n: o.renewals }, l), l)}` : until;
  }
  return o.kind === 'release' ? '' : t(`notice_term.${o.kind}`, l);
}

// The notice's text in language `l`. Pure; tested by test/notice.test.ts.
export function noticeOf(o: OrderHistory, l: Lang): Notice {
  const yuan = (amount: string) => tf('notice.yuan', { amount: show(amount || '0') }, l);
  const fields: Array<[string, string]> = [
    [t('common.case', l), o.case],
    [t('search.holder', l), o.holder],
    [t('notice.account', l), o.account],
    [t('notice.institution', l), o.institution],
    [t(`notice_amount.${o.kind}`, l), yuan(o.amount)],
  ];
  if (o.status === 'executed' || o.status === 'released' || o.status === 'returned') fields.push([t('trace.frozen', l), yuan(o.frozen)]);
  if (o.payment) {
    fields.push([t('notice.payment', l), `${o.payment.transfer} · ${yuan(o.payment.amount)} · ${chinaTime(o.payment.time)}`]);
  }
  const until = term(o, l);
  if (until) fields.push([t('notice.term', l), until]);
  if (o.executed_at) fields.push([t('notice.executed', l), chinaTime(o.executed_at)]);
  fields.push([t('notice.order', l), `${o.id}${aside(tv('status', o.status, l), l)}`]);
  return {
    title: t(`notice_title.${o.kind}`, l),
    document: `${t('orders.document', l)}${l === 'en' ? ': ' : '：'}${o.document || t('notice.no_document', l)}`,
    to: tf('notice.to', { institution: o.institution }, l),
    body: tf(`notice_body.${o.kind}`, { case: o.case, basis: t(`notice_basis.${o.kind}`, l), releases: o.releases ?? '' }, l),
    fields,
    sign: [[t('notice.unit', l), unitName(o.unit, l)], [t('notice.officer', l), o.requested_by], [t('notice.date', l), issueDay(o, l)]],
    seal: t('notice.seal', l),
    receipt: {
      title: t('notice.receipt', l),
      text: tf('notice.receipt_text', { institution: o.institution }, l),
      sign: t('notice.receipt_sign', l),
    },
  };
}

function render(n: Notice): HTMLElement {
  const rows = (list: Array<[string, string]>) => h('tbody', {}, ...list.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))));
  return h('article', { class: 'notice', id: 'notice' },
    h('h2', { class: 'notice-title', id: 'notice-title' }, n.title),
    h('p', { class: 'notice-document' }, n.document),
    h('p', { class: 'notice-to' }, n.to),
    h('p', { class: 'notice-body', id: 'notice-basis' }, n.body),
    h('table', { class: 'notice-fields', id: 'notice-fields' }, rows(n.fields)),
    h('div', { class: 'notice-sign' }, h('table', {}, rows(n.sign)), h('div', { class: 'notice-seal' }, n.seal)),
    h('section', { class: 'notice-receipt' }, h('h3', {}, n.receipt.title), h('p', {}, n.receipt.text), h('p', {}, n.receipt.sign)));
}

export function noticeView(root: HTMLElement, id: string): void {
  const print = h('button', { type: 'button', id: 'notice-print', disabled: true, onclick: () => window.print() }, t('notice.print'));
  const out = h('div', { id: 'notice-out' });
  root.append(h('div', { class: 'actions no-print' }, h('a', { href: '#/orders', id: 'notice-back' }, t('notice.back')), ' ', print), out);
  void api<OrderHistory>('GET', `/api/freeze-orders/${encodeURIComponent(id)}/history`).then((o) => {
    out.replaceChildren(render(noticeOf(o, lang())));
    print.disabled = false;
  }).catch((e) => out.replaceChildren(errorBox(e)));
}
