// What the case queue and a case's work panel show, as pure functions (views/cases.ts,
// views/work.ts); tested by test/casework.test.ts.
//
// The queue's filters live in the page's address (#/cases/<query>), so that going back from a case
// finds the queue as it was left, and a filtered queue can be linked to.
import { t, tf, tv, type Key, type Lang } from './i18n';
import { platformLabel } from './phrases';
import { chinaTime } from './time';

export interface QueueFilter {
  stage: string;
  region: string;     // a division code or name ("杭州市")
  category: string;
  from: string;       // reported on or after this day in China ("2026-03-01")
  to: string;         // reported on or before this day in China
  min_loss: string;   // yuan
  max_loss: string;
  officer: string;    // '' anyone, 'me', 'none', or a user's name
  overdue: boolean;
  sort: string;       // newest (the server's default), oldest, loss_desc, loss_asc, id, worked
  offset: number;
  limit: number;      // rows a page: one of PAGE_SIZES
}

export const PAGE_SIZES = [20, 50, 100];
export const PAGE_SIZE = 50;
export const SORTS = ['newest', 'oldest', 'loss_desc', 'loss_asc', 'id', 'worked'];
export const QUEUE_STAGES = ['reported', 'opened', 'investigating', 'arrest_requested', 'arrest_approved', 'sent_to_prosecution',
  'prosecuted', 'verdict', 'closed'];

const TEXT_KEYS = ['stage', 'region', 'category', 'from', 'to', 'min_loss', 'max_loss', 'officer', 'sort'] as const;

export function emptyFilter(): QueueFilter {
  return { stage: '', region: '', category: '', from: '', to: '', min_loss: '', max_loss: '', officer: '', overdue: false, sort: 'newest', offset: 0, limit: PAGE_SIZE };
}

// The filter as the address's query: only what differs from no filter.
export function filterToHash(f: QueueFilter): string {
  const q = new URLSearchParams();
  for (const k of TEXT_KEYS) if (f[k].trim() && !(k === 'sort' && f[k] === 'newest')) q.set(k, f[k].trim());
  if (f.overdue) q.set('overdue', '1');
  if (f.offset > 0) q.set('offset', String(f.offset));
  if (f.limit !== PAGE_SIZE) q.set('limit', String(f.limit));
  return q.toString();
}

export function filterFromHash(s: string): QueueFilter {
  const q = new URLSearchParams(s.replace(/^\?/, ''));
  const f = emptyFilter();
  for (const k of TEXT_KEYS) f[k] = q.get(k) ?? f[k];
  if (!SORTS.includes(f.sort)) f.sort = 'newest';
  f.overdue = q.get('overdue') === '1';
  const offset = Number(q.get('offset') ?? 0);
  f.offset = Number.isInteger(offset) && offset > 0 ? offset : 0;
  const limit = Number(q.get('limit') ?? PAGE_SIZE);
  f.limit = PAGE_SIZES.includes(limit) ? limit : PAGE_SIZE;
  return f;
}

// "2026-03-01" -> the start of that day in China, RFC 3339; '' for what is no day.
export function dayStart(day: string): string {
  return /^\d{4}-\d\d-\d\d$/.test(day) && Number.isFinite(Date.parse(`${day}T00:00:00Z`)) ? `${day}T00:00:00+08:00` : '';
}

// The start of the next day in China: `to` is inclusive on the page, exclusive at the server.
export function dayAfter(day: string): string {
  if (!dayStart(day)) return '';
  return `${new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00+08:00`;
}

// The query of GET /api/cases for a page of the filtered queue.
export function queueParams(f: QueueFilter, limit = f.limit): Record<string, string> {
  const p: Record<string, string> = {};
  for (const k of ['stage', 'region', 'category', 'min_loss', 'max_loss', 'officer'] as const) if (f[k].trim()) p[k] = f[k].trim();
  if (dayStart(f.from)) p.from = dayStart(f.from);
  if (dayAfter(f.to)) p.to = dayAfter(f.to);
  if (f.overdue) p.overdue = '1';
  if (f.sort !== 'newest') p.sort = f.sort;
  p.limit = String(limit);
  if (f.offset > 0) p.offset = String(f.offset);
  return p;
}

// "51–100 of 230" (rows shown, 1-based) or '' when there are none.
export function pageRange(offset: number, shown: number, total: number, l?: Lang): string {
  if (shown === 0) return '';
  return tf('cases.range', { from: offset + 1, to: offset + shown, total }, l);
}

// A category in the page's language: the catalog's, else the server's Chinese name on a Chinese
// page, else the key.
export function categoryLabel(key: string, zh: string, l: Lang): string {
  return labelOf('category', key, zh, l);
}

// An attachment's kind in the page's language, the same way.
export function attachmentKindLabel(key: string, zh: string, l: Lang): string {
  return labelOf('attkind', key, zh, l);
}

function labelOf(prefix: string, key: string, zh: string, l: Lang): string {
  const label = tv(prefix, key, l);
  return label === key && l === 'zh-CN' && zh ? zh : label;
}

// "812 B" / "812 字节", "1.5 KB", "20.0 MB" (Chinese: no space before the unit).
export function fileSize(bytes: number, l: Lang): string {
  if (bytes < 1024) return tf('size.bytes', { n: bytes }, l);
  const [v, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${v.toFixed(1)}${l === 'zh-CN' ? '' : ' '}${unit}`;
}

// The first 12 hex digits: enough to tell files apart on a page; the whole digest is its title.
export function shortSha(sha: string): string {
  return sha.length > 12 ? `${sha.slice(0, 12)}…` : sha;
}

// Where a timeline event's record opens on the dashboard: an order's notice, an attachment's
// download; '' for none.
export function refHref(caseId: string, ref: string): string {
  const m = /^(order|attachment) (\d+)$/.exec(ref);
  if (!m) return '';
  return m[1] === 'order' ? `#/orders/${m[2]}` : `/api/cases/${encodeURIComponent(caseId)}/attachments/${m[2]}`;
}

// A timeline event's detail in the page's language. The server writes a few phrases of its own in
// English (the audit log's details: "policy=fifo", "3 freeze orders, sent", "2 new requests",
// "document X, stop-payments"; a takedown's platform); the rest is data, kept as it came. Parts
// are joined by " · ", the reason typed for the action last.
export function timelineDetail(kind: string, detail: string, l: Lang): string {
  const parts = detail.split(' · ');
  const first = parts[0];
  const and = l === 'zh-CN' ? '，' : ', ';
  let m: RegExpExecArray | null;
  if (kind === 'trace' && (m = /^policy=(\w+)$/.exec(first))) {
    parts[0] = tf('tl.policy', { policy: tv('policy', m[1], l) }, l);
  } else if (kind === 'trace' && (m = /^document (.*?)(, stop-payments)?$/.exec(first))) {
    parts[0] = tf('tl.document', { document: m[1] }, l) + (m[2] ? `${and}${t('tl.stop_payments', l)}` : '');
  } else if (kind === 'order' && (m = /^(\d+) (\w+) orders(, sent)?$/.exec(first))) {
    parts[0] = tf('tl.orders', { n: m[1], kind: tv('kind', m[2], l) }, l) + (m[3] ? `${and}${t('tl.sent', l)}` : '');
  } else if (kind === 'takedown' && (m = /^(\d+) new requests$/.exec(first))) {
    parts[0] = tf('tl.new_requests', { n: m[1] }, l);
  } else if (kind === 'takedown' && parts.length === 2) {
    parts[1] = platformLabel(parts[1], l);
  } else if (kind === 'order') {
    for (let i = 2; i < parts.length; i++) parts[i] = orderNote(parts[i], l);
  }
  return parts.join(' · ');
}

// What the order book writes on an order's step or as its last note (freeze/orders.cc,
// app/freeze.cc, freeze/returns.cc), in the page's language; a note of another form (a bank's
// reason, an officer's note) shows as it came.
type Fill = (m: RegExpExecArray, l: Lang) => Record<string, string>;
const time = (s: string) => chinaTime(s);
const ORDER_NOTES: Array<[RegExp, Key, Fill]> = [
  [/^drafted from trace$/, 'tl.drafted', () => ({})],
  [/^drafted from trace, document (.+)$/s, 'tl.drafted_document', (m) => ({ document: m[1] })],
  [/^released by order (\d+)$/, 'tl.released_by', (m) => ({ n: m[1] })],
  [/^released order (\d+)$/, 'tl.released_order', (m) => ({ n: m[1] })],
  [/^released order (\d+): (.*)$/s, 'tl.released_order_note', (m) => ({ n: m[1], note: m[2] })],
  [/^in force until (\S+)$/, 'tl.in_force', (m) => ({ time: time(m[1]) })],
  [/^in force until (\S+): (.*)$/s, 'tl.in_force_note', (m) => ({ time: time(m[1]), note: m[2] })],
  [/^release of order (\d+), document (.+)$/s, 'tl.release_of', (m) => ({ n: m[1], document: m[2] })],
  [/^renewal (\d+) asked for, document (.+)$/s, 'tl.renewal_asked', (m) => ({ n: m[1], document: m[2] })],
  [/^renewal (\d+) executed: in force until (\S+)$/, 'tl.renewal_executed', (m) => ({ n: m[1], time: time(m[2]) })],
  [/^renewal (\d+) rejected: (.*)$/s, 'tl.renewal_rejected', (m) => ({ n: m[1], reason: m[2] })],
  [/^deadline (\S+) by the law, from its execution/, 'tl.deadline_by_law', (m) => ({ time: time(m[1]) })],
  [/^lapsed at its deadline: not renewed in time/, 'tl.lapsed', () => ({})],
  [/^sent with the draft$/, 'ordernote.sent_with_draft', () => ({})],
  [/^returned by return (\d+)$/, 'ordernote.returned', (m) => ({ id: m[1] })],
];

export function orderNote(note: string, l: Lang): string {
  for (const [re, key, fill] of ORDER_NOTES) {
    const m = re.exec(note);
    if (m) return tf(key, fill(m, l), l);
  }
  return note;
}
