// Trace view (资金查控): the money as a Sankey diagram, the transfers with amounts and times, the
// freeze plan, and the freeze orders made from it in one action.
import { api, query } from '../api';
import { chart, tooltip } from '../charts';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { federatedPanel } from './federated';
import { processPanel } from './process';
import { workPanel } from './work';
import { accountLink } from './profile';
import { t, tv } from '../i18n';
import { fromFen, shortAccount, show, toFen } from '../money';
import { sankeyTooltip, traceToSankey, type SankeyData } from '../sankey';
import { chinaTime } from '../time';
import type { Answer, FreezeOrder, FreezePlan, Trace } from '../types';

// A big trace (a poison reach has tens of thousands of flows, 10 MB) is asked for as a summary:
// held and exits complete, only the largest flows, and the count and amount of the rest.
export const FLOWS_LIMIT = 2000;

const ROLE_COLOUR: Record<string, string> = { victim: '#5470c6', mule: '#91a3b0', held: '#ee6666', exit: '#fac858' };

export function sankeyOption(data: SankeyData): Record<string, unknown> {
  return {
    tooltip: tooltip({ trigger: 'item', formatter: sankeyTooltip }),
    series: [{
      type: 'sankey',
      layoutIterations: 32,
      nodeGap: 6,
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', opacity: 0.45 },
      label: { fontSize: 11, formatter: (p: { data: { label: string } }) => p.data.label },
      data: data.nodes.map((n) => ({ ...n, itemStyle: { color: ROLE_COLOUR[n.role] } })),
      links: data.links,
    }],
  };
}

export function traceView(root: HTMLElement, caseId: string): void {
  const caseInput = h('input', { id: 'trace-case', value: caseId });
  const policy = h('select', { id: 'trace-policy' }, ...['fifo', 'lifo', 'haircut', 'poison'].map((p) => h('option', { value: p }, tv('policy', p))));
  const reason = h('input', { id: 'trace-reason', value: t('trace.reason_default'), size: 30 });
  const out = h('div', { id: 'trace-out' });
  const form = h('form', { class: 'card row', id: 'trace-form' },
    h('label', {}, t('common.case'), caseInput),
    h('label', {}, t('trace.policy'), policy),
    h('label', {}, t('common.reason'), reason),
    h('button', { type: 'submit', id: 'trace-run' }, t('trace.run')));
  root.append(h('h2', {}, t('trace.title')), form, out);

  const run = async () => {
    out.replaceChildren(h('div', { class: 'muted' }, '…'));
    const id = caseInput.value.trim();
    if (!id) {
      out.replaceChildren();
      return;
    }
    if (location.hash !== `#/trace/${encodeURIComponent(id)}`) history.replaceState(null, '', `#/trace/${encodeURIComponent(id)}`);
    const q = query({ policy: policy.value, reason: reason.value });
    const tq = query({ policy: policy.value, reason: reason.value, flows_limit: String(FLOWS_LIMIT) });
    try {
      const [trace, plan] = await Promise.all([
        api<Trace>('GET', `/api/cases/${encodeURIComponent(id)}/trace${tq}`),
        api<FreezePlan>('GET', `/api/cases/${encodeURIComponent(id)}/freeze-plan${q}`),
      ]);
      out.replaceChildren();
      renderTrace(out, id, trace, plan, policy.value, reason.value);
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  if (caseId) void run();
}

function renderTrace(out: HTMLElement, id: string, trace: Trace, plan: FreezePlan, policy: string, reason: string): void {
  const held = trace.held.reduce((s, x) => s + toFen(x.amount), 0);
  const exited = trace.exits.reduce((s, x) => s + toFen(x.amount), 0);
  out.append(h('div', { class: 'kpis' },
    kpi(t('trace.seed'), show(trace.seed)),
    kpi(t('trace.held'), show(fromFen(held))),
    kpi(t('trace.exits'), show(fromFen(exited))),
    kpi(t('trace.dust'), show(trace.dust))));
  if (trace.flows_omitted && trace.flows_omitted.count > 0) {
    out.append(h('p', { class: 'muted', id: 'trace-flows-omitted' },
      `${t('trace.flows_omitted')}: ${trace.flows_omitted.count} (${show(trace.flows_omitted.amount)}); ${t('trace.flows_shown')}: ${trace.flows.length}`));
  }

  const data = traceToSankey(trace);
  const box = h('div', { id: 'sankey', class: 'chart tall' });
  out.append(h('h3', {}, t('trace.sankey')), box);
  if (data.links.length) {
    const height = Math.max(360, Math.min(1400, data.nodes.length * 18));
    box.style.height = `${height}px`;
    requestAnimationFrame(() => chart(box).setOption(sankeyOption(data)));
  } else {
    box.append(h('div', { class: 'muted' }, t('common.none')));
  }
  if (data.hidden) out.append(h('p', { class: 'muted' }, `${t('trace.hidden')}: ${data.hidden}`));
  if (data.loops.length) {
    out.append(h('details', { id: 'trace-loops' }, h('summary', {}, `${t('trace.loops')}: ${data.loops.length}`),
      table([t('trace.from'), t('trace.to'), t('common.amount')], data.loops.map((l) => [l.from, l.to, show(l.amount)]))));
  }

  // The freeze plan and the orders made from it.
  const orders = h('div', { id: 'freeze-orders-box' });
  const make = h('button', { id: 'make-orders', disabled: plan.accounts.length === 0 }, t('trace.make_orders'));
  make.addEventListener('click', async () => {
    make.setAttribute('disabled', '');
    try {
      const a = await api<Answer<'/api/cases/{id}/freeze-orders', 'post'>>('POST', `/api/cases/${encodeURIComponent(id)}/freeze-orders`, { policy, reason });
      renderOrders(orders, a.orders);
    } catch (e) {
      orders.replaceChildren(errorBox(e));
      make.removeAttribute('disabled');
    }
  });
  // One click: stop-payments (止付) for every held account, sent to the banks at once.
  const doc = h('input', { id: 'stop-document', size: 16, placeholder: t('orders.document') });
  const stop = h('button', { id: 'stop-and-send', disabled: plan.accounts.length === 0 }, t('trace.stop_and_send'));
  stop.addEventListener('click', async () => {
    stop.setAttribute('disabled', '');
    try {
      const a = await api<Answer<'/api/cases/{id}/freeze-orders', 'post'>>('POST', `/api/cases/${encodeURIComponent(id)}/freeze-orders`,
        { policy, reason, kind: 'stop_payment', document: doc.value, send: true });
      renderOrders(orders, a.orders);
    } catch (e) {
      orders.replaceChildren(errorBox(e));
    }
    stop.removeAttribute('disabled');
  });
  out.append(h('h3', {}, `${t('trace.plan')} (${show(plan.to_freeze)} / ${show(plan.seed)})`),
    table([t('common.account'), t('common.institution'), t('common.region'), t('common.amount'), t('common.hops'),
      t('trace.since'), t('trace.minutes_per_hop'), t('trace.urgency')],
    plan.accounts.map((i) => [accountLink(i.account), i.institution, regionText(i.region), show(i.amount), i.hops, chinaTime(i.first_tainted_at),
      Math.round(i.minutes_per_hop), h('span', { class: `urgency ${i.urgency}` }, tv('urgency', i.urgency))]), { id: 'freeze-plan' }),
    h('div', { class: 'actions' }, make, doc, stop), orders);
  void api<Answer<'/api/freeze-orders'>>('GET', `/api/freeze-orders${query({ case: id })}`)
    .then((a) => { if (a.orders.length && !orders.childElementCount) renderOrders(orders, a.orders); })
    .catch(() => undefined);

  out.append(federatedPanel(id, policy, reason));
  out.append(processPanel(id, reason));
  out.append(workPanel(id));

  if (trace.exits.length) {
    out.append(h('h3', {}, t('trace.exits')), table([t('common.account'), t('trace.exit_kind'), t('common.amount'), t('common.hops')],
      trace.exits.map((x) => [accountLink(x.account), tv('exit', x.kind), show(x.amount), x.hops]), { id: 'trace-exits' }));
  }
  const flows = [...trace.flows].sort((a, b) => a.hops - b.hops || String(a.time ?? '').localeCompare(String(b.time ?? '')));
  out.append(h('details', { id: 'trace-flows' }, h('summary', {}, `${t('trace.flows')}: ${flows.length}`),
    table([t('trace.transfer'), t('common.time'), t('trace.from'), t('trace.to'), t('common.amount'), t('common.hops')],
      flows.slice(0, 500).map((f) => [f.transfer, chinaTime(f.time), shortAccount(f.from), shortAccount(f.to), show(f.amount), f.hops]))));
}

function renderOrders(box: HTMLElement, orders: FreezeOrder[]): void {
  box.replaceChildren(h('h3', {}, `${t('trace.orders')}: ${orders.length}`),
    table(['#', t('orders.kind'), t('common.account'), t('common.institution'), t('trace.requested'), t('trace.frozen'), t('common.status')],
      orders.map((o) => [o.id, tv('kind', o.kind ?? ''), accountLink(o.account), o.institution, show(o.amount), show(o.frozen || '0'), tv('status', o.status)]),
      { id: 'freeze-orders' }));
}

function kpi(label: string, value: string): HTMLElement {
  return h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value));
}
