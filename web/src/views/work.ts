// A case's work (案件办理), on its page under the justice process: who has it, with 指派给我 /
// 退回 (and, for a centre, an officer's name to give it to); the notes and a box for a new one;
// the files (kind, name, size, uploader, time, SHA-256, download) and a form that uploads one as
// its raw bytes; and the timeline of everything done on the case, oldest first.
import { api, session } from '../api';
import { attachmentKindLabel, fileSize, refHref, shortSha, timelineDetail } from '../casework';
import { errorBox, h, table } from '../dom';
import { lang, t, tv } from '../i18n';
import { chinaTime } from '../time';
import type { Answer } from '../types';

type Work = Answer<'/api/cases/{id}/work'>;
type Timeline = Answer<'/api/cases/{id}/timeline'>;

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const KINDS = ['report_material', 'legal_document', 'other'];

export function workPanel(id: string): HTMLElement {
  const path = `/api/cases/${encodeURIComponent(id)}`;
  const me = session().user;
  const centre = me?.role === 'centre';
  const msg = h('div', { id: 'work-msg' });
  const who = h('div', { id: 'work-who' });
  const notes = h('div', { id: 'work-notes-box' });
  const files = h('div', { id: 'work-files-box' });
  const timeline = h('div', { id: 'work-timeline-box' });

  const fail = (e: unknown) => msg.replaceChildren(errorBox(e));
  const load = async (): Promise<void> => {
    try {
      const [w, tl] = await Promise.all([api<Work>('GET', `${path}/work`), api<Timeline>('GET', `${path}/timeline`)]);
      renderWho(w);
      renderNotes(w);
      renderFiles(w);
      renderTimeline(tl);
    } catch (e) {
      fail(e);
    }
  };
  // Each change: the button waits, the panel reloads, an error shows above it.
  const change = async (button: HTMLButtonElement, send: () => Promise<unknown>): Promise<boolean> => {
    button.setAttribute('disabled', '');
    msg.replaceChildren();
    let ok = false;
    try {
      await send();
      ok = true;
      await load();
    } catch (e) {
      fail(e);
    }
    button.removeAttribute('disabled');
    return ok;
  };
  const assign = (officer: string) => api('POST', `${path}/assign`, { officer, note: '' });

  function renderWho(w: Work): void {
    const mine = !!me && w.officer === me.name;
    const take = h('button', { type: 'button', id: 'work-take' }, t('work.take'));
    take.addEventListener('click', () => void change(take, () => assign(me?.name ?? '')));
    const giveBack = h('button', { type: 'button', id: 'work-give-back' }, t('work.give_back'));
    giveBack.addEventListener('click', () => void change(giveBack, () => assign('')));
    const parts: Array<HTMLElement | string> = [
      `${t('work.officer')}：`, w.officer ? h('b', { id: 'work-officer' }, w.officer) : h('b', { id: 'work-officer', class: 'muted' }, t('cases.unassigned')), ' '];
    if (!mine) parts.push(take, ' ');
    if (w.officer && (mine || centre)) parts.push(giveBack);
    if (centre) {
      const name = h('input', { id: 'work-assign-to', size: 12, placeholder: t('work.assign_to') });
      const button = h('button', { type: 'button', id: 'work-assign' }, t('work.assign'));
      button.addEventListener('click', () => {
        if (name.value.trim()) void change(button, () => assign(name.value.trim()));
      });
      parts.push(h('span', { class: 'assign-to' }, name, button));
    }
    who.replaceChildren(h('p', { class: 'actions' }, ...parts));
  }

  function renderNotes(w: Work): void {
    const text = h('textarea', { id: 'work-note-text', rows: 2, cols: 60, placeholder: t('work.note_placeholder') });
    const add = h('button', { type: 'button', id: 'work-note-add' }, t('work.add_note'));
    add.addEventListener('click', () => {
      if (!text.value.trim()) return;
      void change(add, () => api('POST', `${path}/notes`, { text: text.value }));
    });
    notes.replaceChildren(h('h4', {}, `${t('work.notes')}: ${w.notes.length}`),
      ...(w.notes.length ? [table([t('common.time'), t('proc.by'), t('work.notes')],
        w.notes.map((n) => [chinaTime(n.at), n.by, h('span', { class: 'note-text' }, n.text)]), { id: 'work-notes' })] : []),
      h('div', { class: 'actions row' }, text, add));
  }

  function renderFiles(w: Work): void {
    const l = lang();
    const kind = h('select', { id: 'work-file-kind' }, ...KINDS.map((k) => h('option', { value: k }, tv('attkind', k))));
    const file = h('input', { id: 'work-file', type: 'file' });
    const upload = h('button', { type: 'button', id: 'work-upload' }, t('work.upload'));
    upload.addEventListener('click', () => {
      const f = file.files?.[0];
      if (!f) {
        msg.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('work.choose_file')));
        return;
      }
      if (f.size > MAX_ATTACHMENT_BYTES) {
        msg.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('work.too_big')));
        return;
      }
      const q = new URLSearchParams({ kind: kind.value, name: f.name });
      void change(upload, () => api('POST', `${path}/attachments?${q.toString()}`, f));
    });
    files.replaceChildren(h('h4', {}, `${t('work.files')}: ${w.attachments.length}`),
      ...(w.attachments.length ? [table([t('work.kind'), t('work.name'), t('work.size'), t('proc.by'), t('common.time'), t('work.sha256'), ''],
        w.attachments.map((a) => [
          attachmentKindLabel(a.kind, a.kind_zh, l),
          a.name,
          fileSize(a.bytes, l),
          a.by,
          chinaTime(a.at),
          h('code', { title: a.sha256 }, shortSha(a.sha256)),
          h('a', { href: `${path}/attachments/${a.seq}`, download: a.name, class: 'work-download' }, t('work.download')),
        ]), { id: 'work-files' })] : []),
      h('div', { class: 'actions row' }, kind, file, upload));
  }

  function renderTimeline(tl: Timeline): void {
    const l = lang();
    timeline.replaceChildren(h('h4', {}, t('work.timeline')),
      table([t('common.time'), t('work.what'), t('proc.by'), t('work.detail')],
        tl.events.map((e) => {
          const what = l === 'zh-CN' ? e.what_zh || e.what : e.what;
          const href = refHref(id, e.ref);
          return [chinaTime(e.at), href ? h('a', { href, ...(e.kind === 'attachment' ? { download: '' } : {}) }, what) : what, e.by,
            timelineDetail(e.kind, e.detail, l)];
        }),
        { id: 'work-timeline' }));
  }

  void load();
  return h('section', { id: 'work' }, h('h3', {}, t('work.title')), msg, who, notes, files, timeline);
}
