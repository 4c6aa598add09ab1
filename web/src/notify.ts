// Notifications (通知): the bell in the header, with a badge counting what the user should act on
// now (orders whose clock runs out soon, orders waiting for a bank's answer, overdue leads, new
// high-score warnings), pushed by the server as events (GET /api/notifications/stream, sent with
// the session's cookie) and listed on a click, each linking to the page that deals with it.
// Notices the user has not opened yet show as new (kept by key for the tab's life).
import { h } from './dom';
import { lang, t, tf } from './i18n';
import type { Answer } from './types';

type Notices = Answer<'/api/notifications'>;
type Notice = Notices['notices'][number];

let source: EventSource | null = null;
let latest: Notices = { count: 0, notices: [] };
const seen = new Set<string>();
// The bell on the page (the header is drawn anew on every page): redraws it.
let redraw: () => void = () => {};

// The notices not opened yet.
export function unseen(list: Notice[], opened: Set<string>): Notice[] {
  return list.filter((n) => !opened.has(n.key));
}

// The text of a notice in the page's language.
export function noticeText(n: Notice): string {
  return lang() === 'en' ? n.text : n.text_zh;
}

// Starts listening (once per login); the browser reconnects by itself when the stream ends.
export function startNotifications(): void {
  if (source) return;
  source = new EventSource('/api/notifications/stream');
  source.addEventListener('notifications', (e) => {
    latest = JSON.parse((e as MessageEvent<string>).data) as Notices;
    redraw();
  });
}

export function stopNotifications(): void {
  source?.close();
  source = null;
  latest = { count: 0, notices: [] };
  seen.clear();
  redraw = () => {};
}

// The bell with its badge and its list, kept current while it is on the page.
export function notificationBell(): HTMLElement {
  const badge = h('span', { class: 'badge', id: 'notify-count' });
  const list = h('div', { class: 'notify-list card', id: 'notify-list', hidden: true });
  const bell = h('button', { class: 'link notify', id: 'notify-bell', title: t('notify.title') }, t('notify.bell'), badge);
  const box = h('div', { class: 'notify-box' }, bell, list);
  const draw = () => {
    const fresh = unseen(latest.notices, seen);
    badge.textContent = fresh.length ? String(fresh.length) : '';
    badge.hidden = fresh.length === 0;
    bell.setAttribute('aria-label', tf('notify.count', { n: String(fresh.length) }));
    list.replaceChildren(
      h('h3', {}, t('notify.title')),
      ...(latest.notices.length
        ? latest.notices.map((n) => h('a', { href: n.href, class: `notice${seen.has(n.key) ? '' : ' new'}`, 'data-kind': n.kind },
          noticeText(n)))
        : [h('div', { class: 'muted' }, t('notify.none'))]),
      ...(latest.count > latest.notices.length
        ? [h('div', { class: 'muted', id: 'notify-more' }, tf('notify.more', { n: String(latest.count - latest.notices.length) }))]
        : []));
  };
  bell.addEventListener('click', () => {
    list.hidden = !list.hidden;
    if (!list.hidden) return;
    for (const n of latest.notices) seen.add(n.key);  // closing the list marks them read
    draw();
  });
  list.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('a')) list.hidden = true;
  });
  redraw = draw;
  draw();
  return box;
}
