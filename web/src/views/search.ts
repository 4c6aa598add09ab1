// One search box on every page (一键检索, GET /api/search): a phone as typed, a card, WeChat, QQ,
// URL, e-mail, 身份证 number or case id -> the cases naming it (each opens its trace) and the
// stored account, each matched identifier and account opening its profile (画像); both lists save as CSV.
import { api, query } from '../api';
import { csvButton } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import { show } from '../money';
import { profileHref } from '../profile';
import { chinaTime } from '../time';
import type { Answer } from '../types';

// The box for the header: searching goes to #/search/TEXT.
export function searchBox(go: (hash: string) => void): HTMLElement {
  const input = h('input', { id: 'search-q', type: 'search', size: 22, placeholder: t('search.placeholder') });
  const form = h('form', { id: 'search-form', class: 'search' }, input);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) go(`#/search/${encodeURIComponent(input.value.trim())}`);
  });
  return form;
}

export function searchView(root: HTMLElement, text: string): void {
  const out = h('div', { id: 'search-out' });
  root.append(h('h2', {}, `${t('search.title')}：${text}`), out);
  if (!text) return;
  const caseHead = () => [t('common.case'), t('common.time'), t('common.region'), t('search.category'), t('common.loss'), t('search.matched')];
  const accountHead = () => [t('common.account'), t('search.holder'), t('common.institution'), t('common.region')];
  void api<Answer<'/api/search'>>('GET', `/api/search${query({ q: text })}`).then((a) => {
    const matched = (c: (typeof a.cases)[number]) => c.matched.map((m) => `${tv('idtype', m.type)} ${m.value}`).join('；');
    const accounts = a.accounts.map((x) => [x.account, x.holder, x.institution, regionText(x.region)]);
    // Each matched identifier and each account opens its profile (画像).
    const matchedLinks = (c: (typeof a.cases)[number]) => h('span', { class: 'matched' }, ...c.matched.flatMap((m, i) => [i ? '；' : '',
      h('a', { href: profileHref(m.type, m.value), class: 'profile-link' }, `${tv('idtype', m.type)} ${m.value}`)]));
    out.append(
      h('h3', {}, `${t('search.cases')} (${a.cases.length})`, a.cases.length ? csvButton('search-cases', caseHead,
        () => a.cases.map((c) => [c.id, chinaTime(c.reported_at, true), regionText(c.region), tv('category', c.category), c.loss ?? '', matched(c)])) : null),
      a.cases.length
        ? table(caseHead(), a.cases.map((c) => [h('a', { href: `#/trace/${encodeURIComponent(c.id)}`, class: 'case-link' }, c.id), chinaTime(c.reported_at),
          regionText(c.region), tv('category', c.category), c.loss ? show(c.loss) : '', matchedLinks(c)]), { id: 'search-cases' })
        : h('p', { class: 'muted' }, t('common.none')),
      h('h3', {}, `${t('search.accounts')} (${a.accounts.length})`, accounts.length ? csvButton('search-accounts', accountHead, () => accounts) : null),
      accounts.length ? table(accountHead(), a.accounts.map((x) => [h('a', { href: profileHref('account', x.account), class: 'profile-link' }, x.account),
        x.holder, x.institution, regionText(x.region)]), { id: 'search-accounts' }) : h('p', { class: 'muted' }, t('common.none')));
  }).catch((e) => out.append(errorBox(e)));
}
