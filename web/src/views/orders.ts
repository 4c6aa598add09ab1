// Freeze orders in the caller's scope (a bank liaison sees only its institution's), each moved along
// its lifecycle: planned -> sent -> executed (amount frozen) | rejected (reason) | expired, later
// released (by a release order of its own) or returned. On top, the orders whose legal clock runs
// out within 6 hours (a stop-payment lasts 48 h, a freeze 6 months), each with its renewal. Each
// order prints as the notice the bank receives (#/orders/{id}, views/notice.ts); both lists save as
// CSV.
import { api, query, session } from '../api';
import { movesFor } from '../bank';
import { csvButton } from '../csv';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { orderNote } from '../casework';
import { show } from '../money';
import { chinaTime } from '../time';
import { noticeView } from './notice';
import type { Answer, FreezeOrder } from '../types';

// Asks for a renewal (续期) or drafts a release (解冻) of an order in force, with its document number.
function clockCell(o: FreezeOrder, reload: () => void): HTMLElement {
  const box = h('div', { class: 'move' });
  const role = session().user?.role;
  if (o.status !== 'executed' || o.kind === 'release' || (role !== 'centre' && role !== 'investigator')) return box;
  const doc = h('input', { size: 12, placeholder: t('orders.document') });
  for (const [action, label] of [['renew', t('orders.renew')], ['release', t('orders.release')]] as const) {
    const go = h('button', { class: `order-${action}` }, label);
    go.addEventListener('click', async () => {
      try {
        await api('POST', `/api/freeze-orders/${o.id}/${action}`, { document: doc.value, send: true });
        reload();
      } catch (e) {
        box.append(errorBox(e));
      }
    });
    box.append(go);
  }
  box.prepend(doc);
  return box;
}

function deadlineText(o: FreezeOrder): string {
  if (!o.deadline) return '';
  const at = chinaTime(o.deadline);
  return o.renewal_pending ? `${at} (${t('orders.renewal_pending')})` : at;
}

// The notice of an order, printable (打印通知书).
function noticeLink(o: FreezeOrder): HTMLElement {
  return h('a', { href: `#/orders/${o.id}`, class: 'order-notice' }, t('orders.print_notice'));
}

// Orders as a CSV file: the list's columns with the holder and the document, money in decimal yuan
// as the server writes it, times in China time.
function ordersCsv(what: string, orders: FreezeOrder[]): HTMLElement {
  return csvButton(what, () => [t('notice.order'), t('orders.kind'), t('common.case'), t('common.account'), t('search.holder'),
    t('common.institution'), t('trace.requested'), t('trace.frozen'), t('common.status'), t('orders.reason'), t('orders.document'),
    t('orders.deadline')],
  () => orders.map((o) => [o.id, tv('kind', o.kind), o.case, o.account, o.holder, o.institution, o.amount, o.frozen, tv('status', o.status),
    orderNote(o.reason, lang()), o.document, chinaTime(o.deadline, true)]));
}

export function ordersView(root: HTMLElement, orderId = ''): void {
  if (/^\d+$/.test(orderId)) {
    noticeView(root, orderId);
    return;
  }
  const out = h('div', { id: 'orders-out' });
  const caseInput = h('input', { id: 'orders-case' });
  const form = h('form', { class: 'card row' }, h('label', {}, t('common.case'), caseInput), h('button', { type: 'submit' }, t('common.load')));
  const due = h('div', { id: 'orders-due' });
  root.append(h('h2', {}, t('trace.orders')), h('h3', {}, t('orders.due')), due, form, out);
  const loadDue = () => {
    due.replaceChildren();
    void api<Answer<'/api/freeze-orders/due'>>('GET', '/api/freeze-orders/due?within=6h').then((a) => {
      if (!a.orders.length) {
        due.append(h('div', { class: 'muted' }, t('common.none')));
        return;
      }
      due.append(ordersCsv('orders-due', a.orders), table(['#', t('orders.kind'), t('common.case'), t('common.account'), t('common.institution'), t('trace.frozen'), t('orders.deadline'), '', ''],
        a.orders.map((o) => [o.id, tv('kind', o.kind ?? ''), o.case, o.account, o.institution, show(o.frozen || '0'), deadlineText(o), clockCell(o, reloadAll), noticeLink(o)]),
        { id: 'orders-due-table' }));
    }).catch((e) => due.append(errorBox(e)));
  };
  const reloadAll = () => { loadDue(); load(); };
  const load = () => {
    out.replaceChildren();
    void api<Answer<'/api/freeze-orders'>>('GET', `/api/freeze-orders${query({ case: caseInput.value.trim() })}`).then((a) => {
      if (!a.orders.length) {
        out.append(h('div', { class: 'muted' }, t('common.none')));
        return;
      }
      out.append(ordersCsv('orders', a.orders), table(['#', t('orders.kind'), t('common.case'), t('common.account'), t('common.institution'), t('trace.requested'), t('trace.frozen'), t('common.status'), t('orders.reason'), t('orders.deadline'), '', '', ''],
        a.orders.map((o) => [o.id, tv('kind', o.kind ?? ''), o.case, o.account, o.institution, show(o.amount), show(o.frozen || '0'), tv('status', o.status), orderNote(o.reason, lang()), deadlineText(o), moveCell(o, reloadAll), clockCell(o, reloadAll), noticeLink(o)]),
        { id: 'orders-table' }));
    }).catch((e) => out.append(errorBox(e)));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  reloadAll();
}

function moveCell(o: FreezeOrder, reload: () => void): HTMLElement {
  // Only the moves the caller's role may make (a bank answers; an auditor moves nothing): none the
  // server would refuse.
  const next = movesFor(session().user?.role, o.status);
  const box = h('div', { class: 'move' });
  if (!next.length) return box;
  const to = h('select', {}, ...next.map((s) => h('option', { value: s }, tv('status', s))));
  // The amount frozen and the reason of a refusal are fields of their own: one box for both once
  // stored "27604.45" as a reason.
  const amount = h('input', { size: 10, class: 'move-amount', placeholder: t('orders.amount_frozen'), value: o.amount });
  const reason = h('input', { size: 16, class: 'move-reason', placeholder: t('orders.reject_reason') });
  const showFields = () => {
    amount.hidden = to.value !== 'executed';
    reason.hidden = to.value !== 'rejected';
  };
  to.addEventListener('change', showFields);
  showFields();
  const go = h('button', {}, t('trace.move'));
  go.addEventListener('click', async () => {
    const body: Record<string, string> = { to: to.value };
    if (to.value === 'executed') body.amount = amount.value;
    if (to.value === 'rejected') body.note = reason.value;
    try {
      await api('POST', `/api/freeze-orders/${o.id}/move`, body);
      reload();
    } catch (e) {
      box.append(errorBox(e));
    }
  });
  box.append(to, amount, reason, go);
  return box;
}
