// Takedown requests (封停): the requests in the caller's scope by platform, with a button per move the
// lifecycle allows (requested -> sent -> blocked | refused, requested -> refused); requests made at
// once for a case's identifiers; the list as a STIX 2.1 bundle for threat-intelligence platforms, and
// as CSV.
import { api, query } from '../api';
import { csvButton } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { platformLabel } from '../phrases';
import { chinaTime } from '../time';
import type { Answer, Takedown } from '../types';

// The moves from a state (the server checks them again).
export const TAKEDOWN_NEXT: Record<string, string[]> = {
  requested: ['sent', 'refused'],
  sent: ['blocked', 'refused'],
};

const STATES = ['requested', 'sent', 'blocked', 'refused'];
const KINDS = ['domain', 'url', 'phone', 'wechat', 'qq', 'alipay', 'email'];

export function takedownsView(root: HTMLElement, caseId: string): void {
  const out = h('div', { id: 'takedowns-out' });
  const options = (values: string[], label: (v: string) => string) =>
    [h('option', { value: '' }, t('takedown.all')), ...values.map((v) => h('option', { value: v }, label(v)))];
  const state = h('select', { id: 'takedowns-state' }, ...options(STATES, (s) => tv('tdstate', s)));
  const kind = h('select', { id: 'takedowns-kind' }, ...options(KINDS, (k) => tv('evidence', k)));
  const caseInput = h('input', { id: 'takedowns-case', value: caseId });
  const filters = () => ({ state: state.value, kind: kind.value, case: caseInput.value.trim() });
  const made = h('div', { id: 'takedowns-made' });
  let shown: Takedown[] = [];
  const load = () => {
    out.replaceChildren();
    shown = [];
    void api<Answer<'/api/takedowns'>>('GET', `/api/takedowns${query({ ...filters(), limit: 500 })}`)
      .then((a) => {
        shown = a.takedowns;
        out.append(a.takedowns.length ? requestTable(a.takedowns, load) : h('div', { class: 'muted' }, t('common.none')));
      })
      .catch((e) => out.append(errorBox(e)));
  };
  const stix = h('button', { type: 'button', id: 'takedowns-stix' }, t('takedown.stix'));
  const form = h('form', { class: 'card row', id: 'takedowns-form' },
    h('label', {}, t('takedown.state'), state), h('label', {}, t('takedown.kind'), kind),
    h('label', {}, t('common.case'), caseInput), h('button', { type: 'submit' }, t('common.load')),
    requestForCase(caseInput, made, load), stix, csvButton('takedowns', csvHead, () => shown.map(csvRow)));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  stix.addEventListener('click', () => void download(`/api/takedowns/stix${query(filters())}`, out));
  root.append(h('h2', {}, t('takedown.title')), form, made, out);
  load();
}

// Requests for the identifiers of the case in the case field, made at once.
function requestForCase(caseInput: HTMLInputElement, made: HTMLElement, reload: () => void): HTMLElement {
  const go = h('button', { type: 'button', id: 'takedowns-request' }, t('takedown.for_case'));
  go.addEventListener('click', async () => {
    made.replaceChildren();
    try {
      const id = caseInput.value.trim();
      const a = await api<Answer<'/api/cases/{id}/takedowns', 'post'>>('POST', `/api/cases/${encodeURIComponent(id)}/takedowns`, {});
      made.append(h('div', { class: 'ok' }, `${t('takedown.made')}: ${a.created}`));
      reload();
    } catch (e) {
      made.append(errorBox(e));
    }
  });
  return go;
}

// The requests as the list shows them, with when each was asked for, in a CSV file.
const csvHead = () => ['#', t('takedown.platform'), t('takedown.kind'), t('takedown.value'), t('common.cases'), t('takedown.state'),
  t('takedown.reason'), t('common.category'), t('common.region'), t('common.time')];
const csvRow = (r: Takedown) => [r.id, platformLabel(r.platform, lang()), tv('evidence', r.kind), r.value, r.cases.join(' '), tv('tdstate', r.state), r.reason,
  tv('category', r.category), regionText(r.region), chinaTime(r.created_at, true)];

function requestTable(list: Takedown[], reload: () => void): HTMLElement {
  return table(['#', t('takedown.platform'), t('takedown.kind'), t('takedown.value'), t('common.cases'), t('takedown.state'), t('takedown.reason'), ''],
    list.map((r) => [r.id, platformLabel(r.platform, lang()), tv('evidence', r.kind), r.value, r.cases.join(', '), tv('tdstate', r.state), r.reason, moveCell(r, reload)]),
    { id: 'takedowns-table' });
}

function moveCell(r: Takedown, reload: () => void): HTMLElement {
  const next = TAKEDOWN_NEXT[r.state] ?? [];
  const box = h('div', { class: 'move' });
  if (!next.length) return box;
  const reason = h('input', { size: 12, placeholder: t('takedown.reason'), class: 'reason' });
  box.append(reason);
  for (const to of next) {
    box.append(h('button', { type: 'button', 'data-to': to, onclick: async () => {
      try {
        await api('POST', `/api/takedowns/${r.id}/move`, { to, reason: reason.value.trim() });
        reload();
      } catch (e) {
        box.append(errorBox(e));
      }
    } }, `${t('takedown.to')} ${tv('tdstate', to)}`));
  }
  return box;
}

// The STIX bundle as a file the browser saves.
async function download(path: string, out: HTMLElement): Promise<void> {
  try {
    const bundle = await api<unknown>('GET', path);
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
    const a = h('a', { href: url, download: 'takedowns-stix.json' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    out.append(errorBox(e));
  }
}
