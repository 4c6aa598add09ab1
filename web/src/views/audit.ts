// The audit log (审计日志), the auditor's page: who read or changed what, a page at a time oldest
// first (GET /api/audit answers the entries after an id), filtered on the loaded page by action,
// user and text in the target, detail or reason; 校验 checks the whole hash chain (GET
// /api/audit/verify) and says it is intact or where it first breaks; the filtered page saves as CSV.
// The page is kept in the address (#/audit/after=N&limit=M).
import { api, query } from '../api';
import { actionLabel, auditFromHash, detailText, auditRange, auditToHash, AUDIT_PAGE_SIZES, distinct, filterAudit, prevAfter, verifyText,
  type AuditEntry, type AuditPage, type AuditVerify } from '../audit';
import { csvButton } from '../csv';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { chinaTime } from '../time';
import type { Answer } from '../types';

const option = (value: string, label: string) => h('option', { value }, label);

export function auditView(root: HTMLElement, arg: string, go: (hash: string) => void): void {
  const p = auditFromHash(arg);
  const visit = (next: AuditPage) => {
    const q = auditToHash(next);
    go(q ? `#/audit/${encodeURIComponent(q)}` : '#/audit');
  };
  const action = h('select', { id: 'audit-action' }, option('', t('audit.all')));
  const user = h('select', { id: 'audit-user' }, option('', t('audit.all')));
  const text = h('input', { id: 'audit-text', type: 'search', size: 18 });
  const limit = h('select', { id: 'audit-limit', onchange: () => visit({ after: p.after, limit: Number(limit.value) }) },
    ...AUDIT_PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === p.limit }, String(n))));
  const verifyOut = h('span', { id: 'audit-verify-out', role: 'status' });
  const verify = h('button', { type: 'button', id: 'audit-verify' }, t('audit.verify'));
  verify.addEventListener('click', async () => {
    verify.setAttribute('disabled', '');
    verifyOut.className = 'muted';
    verifyOut.textContent = t('audit.verifying');
    try {
      const v = await api<AuditVerify>('GET', '/api/audit/verify');
      verifyOut.className = v.ok ? 'ok' : 'error';
      verifyOut.dataset.ok = String(Boolean(v.ok));
      verifyOut.textContent = verifyText(v, lang());
      if (!v.ok && v.message && lang() === 'en') verifyOut.title = v.message;  // the server's words are English
    } catch (e) {
      verifyOut.replaceChildren(errorBox(e));
    }
    verify.removeAttribute('disabled');
  });
  const form = h('form', { class: 'card row', id: 'audit-form' },
    h('label', {}, t('audit.action'), action),
    h('label', {}, t('audit.user'), user),
    h('label', {}, t('audit.target_text'), text),
    h('label', {}, t('cases.page_size'), limit),
    verify, verifyOut);
  form.addEventListener('submit', (e) => e.preventDefault());
  const out = h('div', { id: 'audit-out' }, h('div', { class: 'muted' }, '…'));
  let entries: AuditEntry[] = [];
  const shown = () => filterAudit(entries, { action: action.value, user: user.value, text: text.value });
  const header = () => [t('audit.id'), t('common.time'), t('audit.user'), t('audit.role'), t('audit.action'), t('audit.target'),
    t('audit.reason'), t('audit.detail')];
  const csv = csvButton('audit', () => [...header(), t('audit.hash')], () => shown().map((e) => [e.id, chinaTime(e.at, true), e.user, tv('role', e.role ?? ''),
    actionLabel(e.action ?? '', lang()), e.target, e.reason, detailText(e.action ?? '', e.detail ?? '', lang()), e.hash]));
  root.append(h('h2', {}, t('audit.title'), csv), form, out);

  const draw = () => {
    const rows = shown();
    const prev = h('button', { type: 'button', id: 'audit-prev', disabled: p.after === 0,
      onclick: () => visit({ after: entries.length ? prevAfter(entries[0].id ?? 0, p.limit) : Math.max(0, p.after - p.limit), limit: p.limit }) },
    t('cases.prev'));
    const first = h('button', { type: 'button', id: 'audit-first', disabled: p.after === 0, onclick: () => visit({ after: 0, limit: p.limit }) },
      t('audit.first'));
    const next = h('button', { type: 'button', id: 'audit-next', disabled: entries.length < p.limit,
      onclick: () => visit({ after: entries[entries.length - 1].id ?? 0, limit: p.limit }) }, t('cases.next'));
    out.replaceChildren(
      rows.length ? table(header(), rows.map((e) => [e.id, chinaTime(e.at, true), e.user, tv('role', e.role ?? ''),
        h('span', { title: e.action ?? '' }, actionLabel(e.action ?? '', lang())), e.target, e.reason, detailText(e.action ?? '', e.detail ?? '', lang())]),
        { id: 'audit-table' })
        : h('p', { class: 'muted', id: 'audit-empty' }, entries.length ? t('common.none') : t('audit.empty')),
      h('div', { class: 'pager' }, first, prev, h('span', { id: 'audit-range' }, auditRange(entries, rows.length, lang())), next));
    out.dataset.loaded = auditToHash(p);  // for the browser test: this page is shown
  };
  for (const el of [action, user]) el.addEventListener('change', draw);
  text.addEventListener('input', draw);

  void (async () => {
    try {
      const a = await api<Answer<'/api/audit'>>('GET', `/api/audit${query({ after: p.after || undefined, limit: p.limit })}`);
      entries = a.entries ?? [];
    } catch (e) {
      out.replaceChildren(errorBox(e));
      return;
    }
    action.append(...distinct(entries, 'action').map((x) => option(x, actionLabel(x, lang()))));
    user.append(...distinct(entries, 'user').map((x) => option(x, x)));
    draw();
  })();
}
