// Freeze orders in the caller's scope (a bank liaison sees only its institution's), each moved along
// its lifecycle: planned -> sent -> executed (amount frozen) | rejected (reason) | expired, later
// released or returned.
import { api, query, session } from '../api';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import { show } from '../money';
import type { FreezeOrder } from '../types';

// The moves a person can make from a status (the server checks them again).
export const NEXT: Record<string, string[]> = {
  planned: ['sent', 'expired'],
  sent: ['executed', 'rejected', 'expired'],
  executed: ['released', 'returned'],
};

export function ordersView(root: HTMLElement): void {
  const out = h('div', { id: 'orders-out' });
  const caseInput = h('input', { id: 'orders-case' });
  const form = h('form', { class: 'card row' }, h('label', {}, t('common.case'), caseInput), h('button', { type: 'submit' }, t('common.load')));
  root.append(h('h2', {}, t('trace.orders')), form, out);
  const load = () => {
    out.replaceChildren();
    void api<{ orders: FreezeOrder[] }>('GET', `/api/freeze-orders${query({ case: caseInput.value.trim() })}`).then((a) => {
      if (!a.orders.length) {
        out.append(h('div', { class: 'muted' }, t('common.none')));
        return;
      }
      out.append(table(['#', t('common.case'), t('common.account'), t('common.institution'), t('trace.requested'), t('trace.frozen'), t('common.status'), ''],
        a.orders.map((o) => [o.id, o.case, o.account, o.institution, show(o.amount), show(o.frozen || '0'), tv('status', o.status), moveCell(o, load)]),
        { id: 'orders-table' }));
    }).catch((e) => out.append(errorBox(e)));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
}

function moveCell(o: FreezeOrder, reload: () => void): HTMLElement {
  const next = NEXT[o.status] ?? [];
  const box = h('div', { class: 'move' });
  if (!next.length || session().user?.role === 'auditor') return box;
  const to = h('select', {}, ...next.map((s) => h('option', { value: s }, tv('status', s))));
  const extra = h('input', { size: 10, placeholder: t('trace.move_extra'), value: o.amount });
  const go = h('button', {}, t('trace.move'));
  go.addEventListener('click', async () => {
    const body: Record<string, string> = { to: to.value };
    if (to.value === 'executed') body.amount = extra.value;
    if (to.value === 'rejected') body.note = extra.value;
    try {
      await api('POST', `/api/freeze-orders/${o.id}/move`, body);
      reload();
    } catch (e) {
      box.append(errorBox(e));
    }
  });
  box.append(to, extra, go);
  return box;
}
