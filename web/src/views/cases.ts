// The case queue (案件列表): the cases the user may read, filtered (stage, region, category, report
// dates, loss, officer, overdue), sorted and a page at a time; each opens the case's page (the
// trace view, with its work panel). The first page a centre or an investigator sees. The filters
// are kept in the address (#/cases/<query>) and in the navigation's link, so that coming back
// from a case finds the queue as it was. Every row that passes the filter saves as CSV.
import { api, query } from '../api';
import { categoryLabel, filterFromHash, filterToHash, pageRange, PAGE_SIZES, QUEUE_STAGES, queueParams, SORTS,
  type QueueFilter } from '../casework';
import { saveCsv } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { show } from '../money';
import { CATEGORIES } from './report';
import { chinaTime } from '../time';
import type { Answer } from '../types';

type QueueCase = Answer<'/api/cases'>['cases'][number];

const option = (value: string, label: string, selected: string) => h('option', { value, selected: value === selected }, label);

function csvHeader(): string[] {
  return [t('common.case'), t('cases.reported_at'), t('common.region'), t('cases.region_code'), t('common.category'), t('common.loss'),
    t('cases.stage'), t('cases.overdue'), t('cases.officer'), t('cases.notes'), t('cases.files'), t('cases.last_worked')];
}

function csvRow(c: QueueCase): Array<string | number> {
  return [c.id, chinaTime(c.reported_at, true), c.region_name, c.region, categoryLabel(c.category, c.category_zh, lang()), c.loss ?? '',
    tv('stage', c.stage), c.overdue ? t('common.yes') : t('common.no'), c.officer, c.notes, c.attachments, chinaTime(c.last_worked, true)];
}

// The queue as last shown: the navigation's link goes back to it, filters and page kept.
let lastQueue = '';

export function queueHref(): string {
  return lastQueue ? `#/cases/${encodeURIComponent(lastQueue)}` : '#/cases';
}

// After a logout: the next user starts from the whole queue.
export function forgetQueue(): void {
  lastQueue = '';
}

export function casesView(root: HTMLElement, arg: string, go: (hash: string) => void): void {
  const f = filterFromHash(arg);
  lastQueue = filterToHash(f);
  const stage = h('select', { id: 'cases-stage' }, option('', t('cases.all'), f.stage),
    ...QUEUE_STAGES.map((s) => option(s, tv('stage', s), f.stage)));
  const region = h('input', { id: 'cases-region', size: 12, value: f.region });
  const category = h('select', { id: 'cases-category' }, option('', t('cases.all'), f.category),
    ...CATEGORIES.map((c) => option(c, tv('category', c), f.category)));
  const from = h('input', { id: 'cases-from', type: 'date', value: f.from });
  const to = h('input', { id: 'cases-to', type: 'date', value: f.to });
  const minLoss = h('input', { id: 'cases-min-loss', size: 10, inputmode: 'decimal', value: f.min_loss });
  const maxLoss = h('input', { id: 'cases-max-loss', size: 10, inputmode: 'decimal', value: f.max_loss });
  const officer = h('select', { id: 'cases-officer' }, option('', t('cases.all'), f.officer),
    option('me', t('cases.officer_me'), f.officer), option('none', t('cases.officer_none'), f.officer),
    ...(['', 'me', 'none'].includes(f.officer) ? [] : [option(f.officer, f.officer, f.officer)]));
  const overdue = h('input', { id: 'cases-overdue', type: 'checkbox', checked: f.overdue });
  const sort = h('select', { id: 'cases-sort' }, ...SORTS.map((s) => option(s, tv('sort', s), f.sort)));
  const limit = h('select', { id: 'cases-limit' }, ...PAGE_SIZES.map((n) => option(String(n), String(n), String(f.limit))));
  const form = h('form', { class: 'card row', id: 'cases-form' },
    h('label', {}, t('cases.stage'), stage),
    h('label', {}, t('cases.region'), region),
    h('label', {}, t('common.category'), category),
    h('label', {}, t('cases.from'), from),
    h('label', {}, t('cases.to'), to),
    h('label', {}, t('cases.min_loss'), minLoss),
    h('label', {}, t('cases.max_loss'), maxLoss),
    h('label', {}, t('cases.officer'), officer),
    h('label', { class: 'check' }, t('cases.overdue_only'), overdue),
    h('label', {}, t('cases.sort'), sort),
    h('label', {}, t('cases.page_size'), limit),
    h('button', { type: 'submit', id: 'cases-apply' }, t('cases.filter')),
    h('button', { type: 'button', id: 'cases-reset', onclick: () => go('#/cases') }, t('cases.reset')));
  const visit = (next: QueueFilter) => {
    const q = filterToHash(next);
    go(q ? `#/cases/${encodeURIComponent(q)}` : '#/cases');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    visit({ stage: stage.value, region: region.value, category: category.value, from: from.value, to: to.value,
      min_loss: minLoss.value, max_loss: maxLoss.value, officer: officer.value, overdue: overdue.checked, sort: sort.value, offset: 0,
      limit: Number(limit.value) });
  });
  const exportButton = h('button', { type: 'button', class: 'csv-export no-print', 'data-csv': 'cases', id: 'cases-csv' }, t('csv.export'));
  exportButton.addEventListener('click', async () => {
    exportButton.setAttribute('disabled', '');
    try {
      const all = await api<Answer<'/api/cases'>>('GET', `/api/cases${query(queueParams({ ...f, offset: 0 }, 100000))}`);
      saveCsv('cases', csvHeader(), all.cases.map(csvRow));
    } catch (e) {
      out.prepend(errorBox(e));
    }
    exportButton.removeAttribute('disabled');
  });
  const out = h('div', { id: 'cases-out' }, h('div', { class: 'muted' }, '…'));
  root.append(h('h2', {}, t('cases.title'), exportButton), form, out);

  void (async () => {
    let page: Answer<'/api/cases'>;
    try {
      page = await api<Answer<'/api/cases'>>('GET', `/api/cases${query(queueParams(f))}`);
    } catch (e) {
      out.replaceChildren(errorBox(e));
      return;
    }
    if (page.cases.length === 0) {
      out.dataset.loaded = filterToHash(f);
      out.replaceChildren(h('p', { class: 'muted', id: 'cases-empty' }, t('cases.empty')),
        ...(f.offset > 0 ? [h('button', { id: 'cases-first', onclick: () => visit({ ...f, offset: 0 }) }, t('cases.prev'))] : []));
      return;
    }
    const l = lang();
    const rows = page.cases.map((c) => [
      h('a', { href: `#/trace/${encodeURIComponent(c.id)}`, class: 'case-link' }, c.id),
      chinaTime(c.reported_at),
      regionText(c.region, c.region_name),
      categoryLabel(c.category, c.category_zh, l),
      c.loss === null ? '—' : show(c.loss),
      tv('stage', c.stage),
      c.overdue ? h('span', { class: 'badge overdue' }, t('cases.overdue')) : '',
      c.officer || h('span', { class: 'muted' }, t('cases.unassigned')),
      c.notes,
      c.attachments,
      chinaTime(c.last_worked),
    ]);
    const prev = h('button', { type: 'button', id: 'cases-prev', disabled: f.offset === 0,
      onclick: () => visit({ ...f, offset: Math.max(0, f.offset - f.limit) }) }, t('cases.prev'));
    const next = h('button', { type: 'button', id: 'cases-next', disabled: f.offset + page.cases.length >= page.total,
      onclick: () => visit({ ...f, offset: f.offset + f.limit }) }, t('cases.next'));
    out.replaceChildren(
      table([t('common.case'), t('cases.reported_at'), t('common.region'), t('common.category'), t('common.loss'), t('cases.stage'),
        t('cases.overdue'), t('cases.officer'), t('cases.notes'), t('cases.files'), t('cases.last_worked')], rows, { id: 'cases-table' }),
      h('div', { class: 'pager' }, prev, h('span', { id: 'cases-range', 'data-total': page.total }, pageRange(f.offset, page.cases.length, page.total, l)), next));
    out.dataset.loaded = filterToHash(f);  // for the browser test: this filter's page is shown
  })();
}
