// The case's path through the justice process (诉讼阶段): stage, moves (a move back shown as one),
// suspects, the legal clocks running now; a form to move it on; the evidence package's download
// (GET /api/cases/{id}/export, a signed .zip).
import { api } from '../api';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import type { CaseProcess } from '../types';

const STAGES = ['opened', 'investigating', 'arrest_requested', 'arrest_approved', 'sent_to_prosecution',
  'prosecuted', 'verdict', 'closed'];

// "2020-02-08 08:00" from RFC 3339 in +08:00, as the server writes it: no raw RFC 3339 on the page.
export function localTime(rfc3339: string | null | undefined): string {
  return rfc3339 ? rfc3339.slice(0, 16).replace('T', ' ') : '';
}

function render(out: HTMLElement, p: CaseProcess): void {
  out.replaceChildren(
    h('p', { id: 'proc-stage' }, `${t('proc.stage')}：`, h('b', {}, tv('stage', p.stage)), ` (${t('proc.since')} ${localTime(p.since)})`),
    ...p.deadlines.map((d) => h('p', { class: d.overdue ? 'urgency critical' : d.soon ? 'urgency high' : 'muted' },
      `${d.what_zh}${d.suspect ? ` (${d.suspect})` : ''}：${t('proc.due')} ${localTime(d.due)}，${d.article}` +
      (d.overdue ? ` · ${t('proc.overdue')}` : d.soon ? ` · ${t('proc.soon')}` : ''))),
    table([t('common.time'), t('proc.to'), t('proc.document'), t('proc.by'), t('proc.note')],
      p.moves.map((m) => [localTime(m.at), `${m.back ? `${t('proc.back')} ` : ''}${tv('stage', m.to)}`, m.document, m.by, m.note]),
      { id: 'proc-moves' }),
    ...(p.suspects.length ? [h('h4', {}, t('proc.suspects')), table([t('proc.suspects'), t('proc.role'), t('proc.detained')],
      p.suspects.map((s) => [s.name, s.role_zh, localTime(s.detained_at)]), { id: 'proc-suspects' })] : []));
}

export function processPanel(id: string, reason: string): HTMLElement {
  const path = `/api/cases/${encodeURIComponent(id)}`;
  const out = h('div', { id: 'proc-out' });
  const to = h('select', { id: 'proc-to' }, ...STAGES.map((s) => h('option', { value: s }, tv('stage', s))));
  const doc = h('input', { id: 'proc-document', size: 20, placeholder: t('proc.document') });
  const note = h('input', { id: 'proc-note', size: 20, placeholder: t('proc.note') });
  const move = h('button', { id: 'proc-move' }, t('proc.move'));
  const load = async (): Promise<void> => {
    try {
      render(out, await api<CaseProcess>('GET', `${path}/process`));
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  move.addEventListener('click', async () => {
    move.setAttribute('disabled', '');
    try {
      await api('POST', `${path}/stage`, { to: to.value, document: doc.value, note: note.value });
      await load();
    } catch (e) {
      out.prepend(errorBox(e));
    }
    move.removeAttribute('disabled');
  });
  const download = h('a', { id: 'proc-export', href: `${path}/export?reason=${encodeURIComponent(reason)}`, download: `${id}-evidence.zip` },
    t('proc.export'));
  void load();
  return h('section', { id: 'process' }, h('h3', {}, t('proc.title')), h('p', { class: 'muted' }, t('proc.explain')),
    out, h('div', { class: 'actions' }, to, doc, note, move),
    h('p', {}, download), h('p', { class: 'muted' }, t('proc.export_note')));
}
