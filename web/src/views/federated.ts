// The trace through the banks (经银行追踪): starts the walk (POST /api/cases/{id}/federated-trace),
// follows it round by round (GET, every half second) with the stop-payments it sends as it finds
// the money, then shows whether the answer is complete and, where it is not, which statements are
// missing and why.
import { api, ApiError } from '../api';
import { errorBox, h, table } from '../dom';
import { lang, t, tv, type Lang } from '../i18n';
import { show } from '../money';
import type { FederatedProgress, FederatedRun } from '../types';
import { accountLink } from './profile';

const POLL_MS = 500;

// The progress as label/value pairs in language `l`, in the order shown.
export function progressRows(p: FederatedProgress | null | undefined, l: Lang = lang()): [string, string][] {
  if (!p) return [];
  return [
    [t('fed.round', l), String(p.rounds)],
    [t('fed.asked', l), String(p.asked)],
    [t('fed.answered', l), String(p.answered)],
    [t('fed.waiting', l), p.late ? `${p.waiting} (${t('fed.late', l)} ${p.late})` : String(p.waiting)],
    [t('fed.banks_asked', l), p.banks_asked.join('、') || t('common.none', l)],
    [t('fed.banks_answered', l), p.banks_answered.join('、') || t('common.none', l)],
    [t('fed.hops_known', l), String(p.hops_known)],
    [t('fed.reached', l), String(p.accounts_reached)],
    [t('fed.elapsed', l), String(p.elapsed_ms)],
  ];
}

export function federatedPanel(id: string, policy: string, reason: string): HTMLElement {
  const doc = h('input', { id: 'fed-document', size: 16, placeholder: t('orders.document') });
  const stops = h('input', { id: 'fed-stop-payments', type: 'checkbox', checked: true });
  const start = h('button', { id: 'fed-start' }, t('fed.start'));
  const out = h('div', { id: 'fed-out' });
  const path = `/api/cases/${encodeURIComponent(id)}/federated-trace`;
  const poll = async (): Promise<void> => {
    try {
      const run = await api<FederatedRun>('GET', path);
      render(out, run);
      if (run.status === 'running') setTimeout(() => void poll(), POLL_MS);
      else start.removeAttribute('disabled');
    } catch (e) {
      out.replaceChildren(errorBox(e));
      start.removeAttribute('disabled');
    }
  };
  start.addEventListener('click', async () => {
    start.setAttribute('disabled', '');
    try {
      const run = await api<FederatedRun>('POST', path, { reason, policy, document: doc.value, stop_payments: stops.checked });
      render(out, run);
      setTimeout(() => void poll(), POLL_MS);
    } catch (e) {
      out.replaceChildren(errorBox(e));
      start.removeAttribute('disabled');
    }
  });
  return h('section', { id: 'federated' },
    h('h3', {}, t('fed.title')), h('p', { class: 'muted' }, t('fed.explain')),
    h('div', { class: 'actions' }, doc, h('label', {}, stops, t('fed.stop_payments')), start), out);
}

function render(out: HTMLElement, run: FederatedRun): void {
  const parts: HTMLElement[] = [
    h('p', { id: 'fed-status' }, `${t('fed.status')}: ${tv('fedstatus', run.status)}`),
    table([t('fed.item'), t('fed.value')], progressRows(run.progress), { id: 'fed-progress' }),
  ];
  if (run.orders.length) {
    parts.push(h('h4', {}, `${t('fed.stopped')}: ${run.orders.length}`),
      table(['#', t('common.account'), t('common.institution'), t('trace.requested'), t('common.status')],
        run.orders.map((o) => [o.id, accountLink(o.account), o.institution, show(o.amount), tv('status', o.status)]), { id: 'fed-orders' }));
  }
  if (run.error) parts.push(errorBox(new ApiError(0, '', run.error.message, run.error.message_zh)));
  const a = run.answer;
  if (a) {
    if (a.complete) {
      parts.push(h('p', { id: 'fed-complete', class: 'ok' }, t('fed.complete')));
    } else {
      parts.push(h('p', { id: 'fed-incomplete', class: 'warn' }, t('fed.incomplete')),
        table([t('common.account'), t('common.institution'), t('common.time'), t('fed.why'), ''],
          (a.gaps ?? []).map((g) => [g.account, g.institution, `${g.from} – ${g.to}`, tv('gap', g.why), g.detail]), { id: 'fed-gaps' }));
    }
    parts.push(h('h4', {}, t('trace.held')),
      table([t('common.account'), t('common.amount'), t('common.hops')], a.held.map((x) => [accountLink(x.account), show(x.amount), x.hops]), { id: 'fed-held' }));
  }
  out.replaceChildren(...parts);
}
