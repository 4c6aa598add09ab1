// Report intake (接警): one case, optionally with the victim's payments, POST /api/cases. Times are
// picked as China time (Asia/Shanghai) whatever the browser's zone, the region by name (province,
// city, county: GB/T 2260, or its code typed), identifiers and payments as rows. A field the page
// or the server finds wrong is marked and said beside it, in the page's language.
import { api, ApiError, errorText } from '../api';
import * as divisions from '../divisions';
import { errorBox, h } from '../dom';
import { lang, t, tv } from '../i18n';
import {
  buildCaseBody, CHANNELS, FieldError, fieldOfServerError, ID_TYPES, toShanghaiLocal,
  type CaseBody, type IntakeForm, type PaymentRow,
} from '../intake';
import type { Answer } from '../types';

// FORMATS.md's built-in list, in its order (core/model.cc BuiltinCategories).
export const CATEGORIES = ['fake_goods_sale', 'impersonation_official', 'impersonation_service', 'investment', 'romance',
  'loan', 'refund', 'part_time_job', 'impersonation_acquaintance', 'other'];

// The region picker: province, city and county selects by name ("名称 代码"), and the code, which
// may be typed; each follows the other.
function regionPicker(code: HTMLInputElement): HTMLElement {
  const levels = (['province', 'city', 'county'] as const).map((l) =>
    h('select', { id: `report-${l}`, 'aria-label': t(`report.${l}`), disabled: true }));
  const name = h('span', { id: 'report-region-name', class: 'muted' });
  // The division list is in the main bundle: every table names a region beside its code too.
  const d = divisions;
  const fill = (i: number, parent: string, chosen: string) => {
    const list = i === 0 || parent ? d.childrenOf(parent) : [];
    const sel = levels[i];
    sel.replaceChildren(h('option', { value: '' }, i === 0 ? t('report.choose') : t('report.whole')),
      ...list.map((x) => h('option', { value: x.code }, d.divisionLabel(x, lang()))));
    sel.value = list.some((x) => x.code === chosen) ? chosen : '';
    sel.disabled = list.length === 0;
  };
  const fromCode = () => {
    const typed = code.value.trim();
    const chain = d.chainOf(typed);
    fill(0, '', chain[0] ?? '');
    fill(1, chain[0] ?? '', chain[1] ?? '');
    fill(2, chain[1] ?? '', chain[2] ?? '');
    name.textContent = chain.length ? d.fullName(typed) : /^\d{6}$/.test(typed) ? t('report.region_unknown') : '';
  };
  levels.forEach((sel, i) => sel.addEventListener('change', () => {
    code.value = sel.value || (i > 0 ? levels[i - 1].value : '');
    fromCode();
  }));
  code.addEventListener('input', fromCode);
  fromCode();
  return h('span', { class: 'region-picker' }, ...levels, code, name);
}

function rowsTable(id: string, heads: string[]): [HTMLTableElement, HTMLTableSectionElement] {
  const body = h('tbody', {});
  return [h('table', { id, class: 'form-rows' }, h('thead', {}, h('tr', {}, ...heads.map((x) => h('th', {}, x)), h('th', {}))), body), body];
}

export function reportView(root: HTMLElement, go: (hash: string) => void): void {
  const hint = (name: string) => h('span', { class: 'field-error', 'data-field': name });
  const field = (name: string, label: string, el: HTMLElement, cls = '') =>
    h('label', { class: cls || undefined }, label, el, hint(name));
  const input = (name: string, value = '', type = 'text') => h('input', { name, id: `report-${name}`, value, type });
  const area = (name: string) => h('textarea', { name, id: `report-${name}`, rows: 3 });
  const category = h('select', { name: 'category', id: 'report-category' },
    ...CATEGORIES.map((c) => h('option', { value: c }, tv('category', c))));
  const reportedAt = input('reported_at', toShanghaiLocal(Date.now()).slice(0, 16), 'datetime-local');
  reportedAt.step = '60';
  const region = input('region');
  region.placeholder = '330100';
  region.maxLength = 6;
  region.setAttribute('aria-label', t('report.region_code'));
  const victimAccount = input('victim_account');

  // Identifiers: a type and a value per row.
  const [idTable, idBody] = rowsTable('report-identifiers', [t('report.id_type'), t('report.id_value')]);
  const addIdentifier = () => {
    const tr = h('tr', {},
      h('td', {}, h('select', { class: 'id-type', 'aria-label': t('report.id_type') }, ...ID_TYPES.map((x) => h('option', { value: x }, tv('idtype', x))))),
      h('td', {}, h('input', { class: 'id-value', 'aria-label': t('report.id_value') })));
    tr.append(h('td', {}, h('button', { type: 'button', class: 'row-remove', onclick: () => tr.remove() }, t('report.remove'))));
    idBody.append(tr);
  };
  addIdentifier();

  // Payments: time, from, to, amount, channel per row; a new row starts from the victim's account
  // and the time of the row before it.
  const [payTable, payBody] = rowsTable('report-payments',
    [t('report.pay_time'), t('report.pay_from'), t('report.pay_to'), t('report.pay_amount'), t('report.pay_channel')]);
  const payRows = () => [...payBody.rows];
  const addPayment = () => {
    const prev = payRows().at(-1)?.querySelector<HTMLInputElement>('.pay-time')?.value ?? reportedAt.value;
    const time = h('input', { class: 'pay-time', type: 'datetime-local', step: 60, value: prev, 'aria-label': t('report.pay_time') });
    const cell = (el: HTMLElement, name: string) => h('td', {}, el, h('span', { class: 'field-error', 'data-field': name }));
    const tr = h('tr', {},
      cell(time, 'time'),
      cell(h('input', { class: 'pay-from', value: victimAccount.value.trim(), 'aria-label': t('report.pay_from') }), 'from'),
      cell(h('input', { class: 'pay-to', 'aria-label': t('report.pay_to') }), 'to'),
      cell(h('input', { class: 'pay-amount', inputmode: 'decimal', placeholder: '0.00', 'aria-label': t('report.pay_amount') }), 'amount'),
      cell(h('select', { class: 'pay-channel', 'aria-label': t('report.pay_channel') }, ...CHANNELS.map((c) => h('option', { value: c }, tv('channel', c)))), 'channel'));
    tr.append(h('td', {}, h('button', { type: 'button', class: 'row-remove', onclick: () => tr.remove() }, t('report.remove'))));
    payBody.append(tr);
  };

  const out = h('div', { id: 'report-result' });
  const form = h('form', { class: 'card grid2', id: 'report-form', novalidate: true },
    field('id', t('report.id'), input('id')),
    field('reported_at', t('report.reported_at') + t('report.time_zone'), reportedAt),
    h('div', { class: 'wide' }, h('label', { for: 'report-region' }, t('report.region')), regionPicker(region), hint('region')),
    field('category', t('report.category'), category),
    field('loss', t('report.loss'), input('loss')),
    field('victim_name', t('report.victim_name'), input('victim_name')),
    field('victim_phone', t('report.victim_phone'), input('victim_phone')),
    field('victim_account', t('report.victim_account'), victimAccount),
    field('narrative', t('report.narrative'), area('narrative'), 'wide'),
    h('div', { class: 'wide' }, h('h3', {}, t('report.identifiers')), idTable, hint('identifiers'),
      h('button', { type: 'button', id: 'report-add-identifier', onclick: addIdentifier }, t('report.add_identifier'))),
    h('div', { class: 'wide' }, h('h3', {}, t('report.transfers')), payTable,
      h('button', { type: 'button', id: 'report-add-payment', onclick: addPayment }, t('report.add_payment'))),
    field('transfer_ids', t('report.transfer_ids'), input('transfer_ids'), 'wide'),
    h('div', { class: 'wide' }, h('button', { type: 'submit', id: 'report-submit' }, t('report.submit'))));

  const value = (id: string) => (form.querySelector<HTMLInputElement>(`#report-${id}`)?.value ?? '');
  const read = (): IntakeForm => ({
    id: value('id'), reported_at: reportedAt.value, region: region.value, category: category.value, loss: value('loss'),
    narrative: value('narrative'), victim_name: value('victim_name'), victim_phone: value('victim_phone'),
    victim_account: victimAccount.value, transfer_ids: value('transfer_ids'),
    identifiers: [...idBody.rows].map((r) => ({
      type: r.querySelector<HTMLSelectElement>('.id-type')!.value, value: r.querySelector<HTMLInputElement>('.id-value')!.value })),
    payments: payRows().map((r): PaymentRow => ({
      time: r.querySelector<HTMLInputElement>('.pay-time')!.value, from: r.querySelector<HTMLInputElement>('.pay-from')!.value,
      to: r.querySelector<HTMLInputElement>('.pay-to')!.value, amount: r.querySelector<HTMLInputElement>('.pay-amount')!.value,
      channel: r.querySelector<HTMLSelectElement>('.pay-channel')!.value })),
  });
  const clearMarks = () => {
    for (const s of form.querySelectorAll('.field-error')) s.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  };
  // Marks the field ('region', 'payments.1.amount') with `message`; false when the form has none.
  const mark = (name: string, message: string): boolean => {
    let box: Element | null = null;
    let el: Element | null = null;
    const p = /^payments\.(\d+)\.(\w+)$/.exec(name);
    if (p) {
      const tr = payRows()[Number(p[1])];
      box = tr?.querySelector(`.field-error[data-field="${p[2]}"]`) ?? null;
      el = tr?.querySelector(`.pay-${p[2]}`) ?? null;
    } else if (name) {
      box = form.querySelector(`.field-error[data-field="${name}"]`);
      el = name === 'identifiers' ? null : form.querySelector(`#report-${name}`);
    }
    if (!box) return false;
    box.textContent = message;
    el?.setAttribute('aria-invalid', 'true');
    (el as HTMLElement | null)?.focus();
    return true;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    clearMarks();
    const f = read();
    let body: CaseBody;
    try {
      body = buildCaseBody(f, lang());
    } catch (err) {
      if (err instanceof FieldError && mark(err.field, err.message)) out.append(h('div', { class: 'error', role: 'alert' }, t('report.fix')));
      else out.append(errorBox(err));
      return;
    }
    try {
      const a = await api<Answer<'/api/cases', 'post'>>('POST', '/api/cases', body);
      out.append(h('div', { class: 'ok', id: 'report-ok' }, `${a.created ? t('report.created') : t('report.exists')}: ${a.case} `,
        h('a', { href: `#/trace/${encodeURIComponent(a.case)}`, id: 'report-go-trace', onclick: (ev: Event) => { ev.preventDefault(); go(`#/trace/${encodeURIComponent(a.case)}`); } }, t('report.go_trace'))));
    } catch (err) {
      // A 400 names a field: said beside it too, in the page's language (the server's message_zh).
      if (err instanceof ApiError && err.status === 400) mark(fieldOfServerError(err.message, body, f.payments), errorText(err, lang()).replace(/^[\w.[\]]+: /, ''));
      out.append(errorBox(err));
    }
  });
  root.append(h('h2', {}, t('report.title')), form, out);
}
