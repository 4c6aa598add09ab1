// 待处理指令 / Orders to answer: a bank liaison's page after login. The orders sent to its
// institution and waiting for its answer (GET /api/freeze-orders?status=sent: the server lists a
// bank its own institution's only), the most urgent first, each with the facts the bank checks, its
// deadline in China time and what is left of it, its printable notice, and the only answers a bank
// may give: 已冻结 executed with the amount held (money checked as text before it is sent) or 已拒绝
// rejected with its reason. Below, the orders it answered or that ended otherwise, filtered by
// status, a hold in force with what is left of it (it lapses by itself at its deadline unless
// renewed). Both lists save as CSV.
import { api, query, session } from '../api';
import { answerBody, byUrgency, isAnswered, timeLeft, waited } from '../bank';
import { csvButton } from '../csv';
import { errorBox, h, table } from '../dom';
import { lang, t, tf, tv } from '../i18n';
import { orderNote } from '../casework';
import { show } from '../money';
import { chinaTime } from '../time';
import type { Answer, FreezeOrder } from '../types';

const notice = (o: FreezeOrder) => h('a', { href: `#/orders/${o.id}`, class: 'order-notice' }, t('orders.print_notice'));

// The deadline column: the deadline in China time, or 收到即办 for an order whose clock has not
// started (a sent order's starts when the bank executes it).
const deadlineOf = (o: FreezeOrder) => (o.deadline ? chinaTime(o.deadline) : t('bank.at_once'));

// What is left of the deadline (red under six hours), or how long the order has waited.
function leftCell(o: FreezeOrder, now: number): HTMLElement {
  const left = timeLeft(o.deadline, now, lang());
  if (left) return h('span', { class: left.urgent ? 'bank-left urgent' : 'bank-left', 'data-urgent': left.urgent ? 'true' : 'false' }, left.text);
  return h('span', { class: 'bank-left muted', 'data-urgent': 'false' }, waited(o.updated_at, now, lang()));
}

// The bank's answer to one order: the amount held (prefilled with the amount requested) and 已冻结,
// or a reason and 已拒绝. A wrong field is said beside the buttons and nothing is sent.
function answerForm(o: FreezeOrder, done: () => void): HTMLElement {
  const id = `bank-order-${o.id}`;
  const amount = h('input', { id: `${id}-amount`, class: 'bank-amount', inputmode: 'decimal', size: 12, value: show(o.amount),
    'aria-label': t(o.kind === 'release' ? 'bank.amount_released' : 'bank.amount_held'),
    placeholder: t(o.kind === 'release' ? 'bank.amount_released' : 'bank.amount_held') });
  const reason = h('input', { id: `${id}-reason`, class: 'bank-reason', size: 16, 'aria-label': t('orders.reject_reason'),
    placeholder: t('orders.reject_reason') });
  const out = h('div', { class: 'bank-error' });
  const send = async (to: 'executed' | 'rejected') => {
    const body = answerBody(to, amount.value, to === 'rejected' ? reason.value : '');
    amount.removeAttribute('aria-invalid');
    reason.removeAttribute('aria-invalid');
    if ('field' in body) {
      (body.field === 'amount' ? amount : reason).setAttribute('aria-invalid', 'true');
      out.replaceChildren(h('span', { class: 'error', 'data-field': body.field }, t(body.field === 'amount' ? 'bank.bad_amount' : 'bank.need_reason')));
      return;
    }
    out.replaceChildren();
    try {
      await api('POST', `/api/freeze-orders/${o.id}/move`, body);
      done();
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  return h('div', { class: 'move bank-answer', id },
    h('div', { class: 'row' }, amount,
      h('button', { type: 'button', class: 'bank-execute', onclick: () => void send('executed') }, t(o.kind === 'release' ? 'bank.do_release' : 'bank.do_execute'))),
    h('div', { class: 'row' }, reason, h('button', { type: 'button', class: 'bank-reject', onclick: () => void send('rejected') }, t('bank.do_reject'))),
    out);
}

// The columns both lists save: the order's facts, money in decimal yuan, times in China time.
function bankCsv(what: string, orders: () => FreezeOrder[]): HTMLElement {
  return csvButton(what, () => [t('notice.order'), t('orders.kind'), t('common.case'), t('common.account'), t('search.holder'),
    t('trace.requested'), t('trace.frozen'), t('common.status'), t('orders.reason'), t('orders.document'), t('bank.sent_at'),
    t('orders.deadline')],
  () => orders().map((o) => [o.id, tv('kind', o.kind), o.case, o.account, o.holder, o.amount, o.frozen, tv('status', o.status), orderNote(o.reason, lang()),
    o.document, chinaTime(o.updated_at, true), chinaTime(o.deadline, true)]));
}

export function bankView(root: HTMLElement): void {
  const institution = session().user?.institution ?? '';
  const pending = h('div', { id: 'bank-pending' });
  const history = h('div', { id: 'bank-history' });
  root.append(h('h2', {}, t('bank.title')), h('p', { class: 'muted', id: 'bank-intro' }, tf('bank.intro', { institution })), pending,
    h('h3', {}, t('bank.history')), history);
  if (!institution) {
    pending.append(h('div', { class: 'error', role: 'alert' }, t('bank.no_institution')));
    return;
  }
  const reload = () => { root.replaceChildren(); bankView(root); };
  void (async () => {
    let orders: FreezeOrder[];
    try {
      orders = (await api<Answer<'/api/freeze-orders'>>('GET', `/api/freeze-orders${query({ institution })}`)).orders;
    } catch (e) {
      pending.append(errorBox(e));
      return;
    }
    const now = Date.now();
    const waiting = byUrgency(orders.filter((o) => o.status === 'sent'));
    if (!waiting.length) pending.append(h('div', { class: 'muted', id: 'bank-pending-none' }, t('common.none')));
    else {
      pending.append(h('div', { class: 'row' }, bankCsv('bank-orders', () => waiting)),
        table(['#', t('orders.kind'), t('common.case'), t('common.account'), t('search.holder'), t('trace.requested'), t('orders.document'),
          t('bank.sent_at'), t('bank.deadline'), t('bank.left'), '', t('bank.answer')],
        waiting.map((o) => [o.id, tv('kind', o.kind), o.case, o.account, o.holder, show(o.amount), o.document, chinaTime(o.updated_at),
          deadlineOf(o), leftCell(o, now), notice(o), answerForm(o, reload)]),
        { id: 'bank-pending-table' }));
    }
    // Newest change first: what the bank just answered at the top.
    const answered = orders.filter(isAnswered).sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.id - a.id);
    const statuses = [...new Set(answered.map((o) => o.status))];
    const filter = h('select', { id: 'bank-history-status' }, h('option', { value: '' }, t('bank.all_statuses')),
      ...statuses.map((s) => h('option', { value: s }, tv('status', s))));
    const shown = () => answered.filter((o) => !filter.value || o.status === filter.value);
    const box = h('div', { id: 'bank-history-out' });
    const draw = () => {
      const rows = shown();
      box.dataset.status = filter.value;
      box.replaceChildren(rows.length ? table(['#', t('orders.kind'), t('common.case'), t('common.account'), t('search.holder'),
        t('trace.requested'), t('trace.frozen'), t('common.status'), t('orders.reason'), t('orders.document'), t('bank.answered_at'),
        t('bank.in_force_until'), t('bank.left'), ''],
      rows.map((o) => [o.id, tv('kind', o.kind), o.case, o.account, o.holder, show(o.amount), show(o.frozen || '0'), tv('status', o.status),
        orderNote(o.reason, lang()), o.document, chinaTime(o.updated_at), chinaTime(o.deadline),
        o.status === 'executed' && o.deadline ? leftCell(o, now) : '', notice(o)]),
      { id: 'bank-history-table' }) : h('div', { class: 'muted' }, t('common.none')));
    };
    filter.addEventListener('change', draw);
    history.append(h('div', { class: 'row' }, h('label', {}, t('common.status'), filter), bankCsv('bank-history', shown)), box);
    draw();
  })();
}
