// The profile (画像) of one identifier or account, #/profile/{type}/{value} (GET /api/profile): the
// value and its type, the stored account (holder, institution, region, kind), the money through it
// (received and paid, balance, first and last in China time, the counterparties, each opening its
// own profile, and the latest transfers), the cases naming it (each opening the case's page), the
// freeze orders on it (each opening its printable notice) and the warnings about it. Every table
// saves as CSV.
import { api, query } from '../api';
import { categoryLabel } from '../casework';
import { csvButton } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table, type Child } from '../dom';
import { lang, t, tf, tv } from '../i18n';
import { show } from '../money';
import { reasonLabel } from '../phrases';
import { counterpartyLabel, profileHref, typeLabel } from '../profile';
import { chinaTime } from '../time';
import type { Answer } from '../types';

type Profile = Answer<'/api/profile'>;

// An account as a link to its profile ("" -> 现金, no link).
export function accountLink(account: string, cls = 'profile-link'): Child {
  return account === '' ? h('span', { class: 'muted' }, counterpartyLabel('', lang()))
    : h('a', { href: profileHref('account', account), class: cls }, account);
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'kpi', id }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value));
}

function section(title: string, count: number, csv: HTMLElement | null, body: HTMLElement): HTMLElement[] {
  return [h('h3', {}, `${title} (${count})`, count ? csv : null), count ? body : h('p', { class: 'muted' }, t('common.none'))];
}

export function profileView(root: HTMLElement, type: string, value: string): void {
  const out = h('div', { id: 'profile-out' }, h('div', { class: 'muted' }, '…'));
  root.append(h('h2', { id: 'profile-title' }, `${t('profile.title')}：`, h('span', { id: 'profile-type' }, typeLabel(type, lang())), ' ',
    h('span', { id: 'profile-value' }, value)), out);
  if (!type || !value) {
    out.replaceChildren(h('p', { class: 'muted' }, t('common.none')));
    return;
  }
  void api<Profile>('GET', `/api/profile${query({ type, value })}`)
    .then((p) => { out.replaceChildren(); renderProfile(out, p); out.dataset.loaded = `${p.type}/${p.value}`; })
    .catch((e) => out.replaceChildren(errorBox(e)));
}

function renderProfile(out: HTMLElement, p: Profile): void {
  const l = lang();
  // The value as the server normalised it ("138 0013 8000" -> "+8613800138000").
  const shownValue = document.getElementById('profile-value');
  if (shownValue && p.value) shownValue.textContent = p.value;
  // The stored account.
  const a = p.account;
  out.append(h('h3', {}, t('profile.account')), a
    ? table([t('common.account'), t('search.holder'), t('common.institution'), t('common.region'), t('profile.region_code'), t('profile.kind')],
      [[a.account, a.holder, a.institution, a.region_name, a.region, tv('acctkind', a.kind || 'unknown')]], { id: 'profile-account' })
    : h('p', { class: 'muted', id: 'profile-no-account' }, t('profile.no_account')));

  // The money through it.
  const m = p.money;
  if (m) {
    out.append(h('h3', {}, t('profile.money')), h('div', { class: 'kpis', id: 'profile-money' },
      kpi(tf('profile.received', { n: m.received.count }), show(m.received.amount), 'profile-received'),
      kpi(tf('profile.paid', { n: m.paid.count }), show(m.paid.amount), 'profile-paid'),
      kpi(t('profile.balance'), show(m.balance), 'profile-balance'),
      kpi(t('profile.first'), chinaTime(m.first) || '—', 'profile-first'),
      kpi(t('profile.last'), chinaTime(m.last) || '—', 'profile-last')));
    const cpHead = () => [t('common.account'), t('profile.cp_received'), t('profile.cp_paid'), t('profile.count')];
    out.append(...section(t('profile.counterparties'), m.counterparties.length,
      csvButton('profile-counterparties', cpHead, () => m.counterparties.map((c) => [counterpartyLabel(c.account, lang()), c.received, c.paid, c.transfers])),
      table(cpHead(), m.counterparties.map((c) => [accountLink(c.account, 'profile-link counterparty'), show(c.received), show(c.paid), c.transfers]),
        { id: 'profile-counterparties' })));
    const recentHead = () => [t('profile.transfer'), t('common.time'), t('trace.from'), t('trace.to'), t('common.amount'), t('profile.channel')];
    out.append(...section(t('profile.recent'), m.recent.length,
      csvButton('profile-transfers', recentHead, () => m.recent.map((x) => [x.id, chinaTime(x.time, true), counterpartyLabel(x.from, lang()),
        counterpartyLabel(x.to, lang()), x.amount, tv('channel', x.channel)])),
      table(recentHead(), m.recent.map((x) => [x.id, chinaTime(x.time),
        x.from === p.value ? x.from : accountLink(x.from), x.to === p.value ? x.to : accountLink(x.to), show(x.amount), tv('channel', x.channel)]),
      { id: 'profile-transfers' })));
  } else if (a) {
    out.append(h('p', { class: 'muted' }, t('profile.no_money')));
  }

  // The cases naming it.
  const caseHead = () => [t('common.case'), t('cases.reported_at'), t('common.region'), t('cases.region_code'), t('common.category'), t('common.loss')];
  out.append(...section(t('profile.cases'), p.cases.length,
    csvButton('profile-cases', caseHead, () => p.cases.map((c) => [c.id, chinaTime(c.reported_at, true), c.region_name, c.region,
      categoryLabel(c.category, c.category_zh, lang()), c.loss ?? ''])),
    table(caseHead(), p.cases.map((c) => [h('a', { href: `#/trace/${encodeURIComponent(c.id)}`, class: 'case-link' }, c.id),
      chinaTime(c.reported_at), c.region_name, c.region, categoryLabel(c.category, c.category_zh, l), c.loss === null ? '—' : show(c.loss)]),
    { id: 'profile-cases' })));

  // The freeze orders on it.
  const orderHead = () => [t('notice.order'), t('orders.kind'), t('common.case'), t('common.institution'), t('common.amount'), t('trace.frozen'),
    t('common.status'), t('orders.document')];
  out.append(...section(t('profile.orders'), p.orders.length,
    csvButton('profile-orders', orderHead, () => p.orders.map((o) => [o.id, tv('kind', o.kind ?? ''), o.case, o.institution, o.amount, o.frozen,
      tv('status', o.status), o.document])),
    table([...orderHead(), ''], p.orders.map((o) => [o.id, tv('kind', o.kind ?? ''),
      h('a', { href: `#/trace/${encodeURIComponent(o.case)}`, class: 'case-link' }, o.case), o.institution, show(o.amount),
      show(o.frozen || '0'), tv('status', o.status), o.document,
      h('a', { href: `#/orders/${o.id}`, class: 'order-notice' }, t('orders.print_notice'))]), { id: 'profile-orders' })));

  // The warnings about it.
  const warnHead = () => [t('hotline.person'), t('common.region'), t('hotline.score'), t('hotline.reasons'), t('hotline.last_event')];
  out.append(...section(t('profile.warnings'), p.warnings.length,
    csvButton('profile-warnings', warnHead, () => p.warnings.map((w) => [w.person, regionText(w.region), w.score,
      (w.warning?.reasons ?? []).map((r) => reasonLabel(r, lang())).join('; '), chinaTime(w.last_event_at, true)])),
    table(warnHead(), p.warnings.map((w) => [w.person, regionText(w.region), w.score, (w.warning?.reasons ?? []).map((r) => reasonLabel(r, l)).join('; '),
      chinaTime(w.last_event_at)]), { id: 'profile-warnings' })));
}
