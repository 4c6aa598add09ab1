// A bank liaison's orders (银行联络员, views/bank.ts), and the moves each role may make on an order
// (views/orders.ts): pure, tested by test/bank.test.ts.
//
// The server (server/freeze_routes.cc) lets a bank only answer an order sent to it: executed, with
// the amount it holds, or rejected, with a reason; an auditor sees orders through the audit log
// only. A page offers no move the server would refuse.
import { t, tf, type Lang } from './i18n';
import { parseYuan } from './intake';
import type { FreezeOrder } from './types';

// The lifecycle's moves from a status (freeze/orders.h CanMove; the server checks them again).
export const NEXT: Record<string, string[]> = {
  planned: ['sent', 'expired'],
  sent: ['executed', 'rejected', 'expired'],
  executed: ['returned'],
};

// What a bank may do to an order: answer it.
const BANK_MOVES = ['executed', 'rejected'];

// The moves `role` may make from `status`: the lifecycle's, a bank's answers among them, none for
// any other role (an auditor, a hotline operator).
export function movesFor(role: string | undefined, status: string): string[] {
  const next = NEXT[status] ?? [];
  if (role === 'centre' || role === 'investigator') return next;
  if (role === 'bank') return next.filter((s) => BANK_MOVES.includes(s));
  return [];
}

// Orders waiting for the bank's answer (sent to it), and those it answered or that ended otherwise;
// drafts (planned) are the police's, not yet the bank's.
export const isPending = (o: { status: string }): boolean => o.status === 'sent';
export const isAnswered = (o: { status: string }): boolean => o.status !== 'sent' && o.status !== 'planned';

// The time an order waits against: its deadline when it has one; a sent order has none yet (the
// legal clock starts when the bank executes it), so the time it was sent (its last change, which
// for a sent order is the send) stands in, the longest waiting first.
type Timed = Pick<FreezeOrder, 'id' | 'kind' | 'deadline' | 'updated_at'>;
const ms = (s: string | null | undefined): number => (s ? Date.parse(s) : NaN);

// Most urgent first: orders with a deadline, soonest first; then stop-payments (紧急止付: the money
// moves on within minutes) before freezes and releases; then the longest waiting; then by id.
export function byUrgency<T extends Timed>(orders: T[]): T[] {
  const rank = (o: Timed) => (o.kind === 'stop_payment' ? 0 : 1);
  return [...orders].sort((a, b) => {
    const da = ms(a.deadline);
    const db = ms(b.deadline);
    if (Number.isFinite(da) !== Number.isFinite(db)) return Number.isFinite(da) ? -1 : 1;
    if (Number.isFinite(da) && da !== db) return da - db;
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    const wa = ms(a.updated_at);
    const wb = ms(b.updated_at);
    if (Number.isFinite(wa) && Number.isFinite(wb) && wa !== wb) return wa - wb;
    return a.id - b.id;
  });
}

// The hours under which what is left of a deadline shows in red.
export const URGENT_HOURS = 6;

export interface Left { text: string; urgent: boolean; past: boolean }

// What is left until `deadline` at `now` in language `l` ("2 天 3 小时", "5 小时 12 分钟"); urgent
// under six hours; past once reached (已超时 / overdue). Null when there is no deadline.
export function timeLeft(deadline: string | null | undefined, now: number, l: Lang): Left | null {
  const at = ms(deadline);
  if (!Number.isFinite(at)) return null;
  const left = at - now;
  if (left <= 0) return { text: t('bank.overdue', l), urgent: true, past: true };
  return { text: duration(left, l), urgent: left < URGENT_HOURS * 3600_000, past: false };
}

// How long an order sent at `sent` has waited at `now` (已等待 3 小时 / waiting 3 h); '' without a time.
export function waited(sent: string | null | undefined, now: number, l: Lang): string {
  const at = ms(sent);
  return Number.isFinite(at) ? tf('bank.waiting', { span: duration(Math.max(0, now - at), l) }, l) : '';
}

// A span in days and hours, or hours and minutes, or minutes (at least one), rounded down.
export function duration(span: number, l: Lang): string {
  const minutes = Math.max(1, Math.floor(span / 60_000));
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = minutes % 60;
  if (d > 0) return tf(hh > 0 ? 'bank.dur_dh' : 'bank.dur_d', { d, h: hh }, l);
  if (hh > 0) return tf(mm > 0 ? 'bank.dur_hm' : 'bank.dur_h', { h: hh, m: mm }, l);
  return tf('bank.dur_m', { m: mm }, l);
}

export type AnswerBody = { to: 'executed'; amount: string; note: string } | { to: 'rejected'; note: string };

// The body of POST /api/freeze-orders/{id}/move for a bank's answer, or the field that is wrong:
// the amount held is money as text (at most two decimals, separators allowed, "0" allowed: the
// account was stopped and held nothing), a rejection says why.
export function answerBody(to: string, amount: string, reason: string): AnswerBody | { field: 'amount' | 'reason' } {
  if (to === 'executed') {
    const yuan = parseYuan(amount);
    return yuan === null ? { field: 'amount' } : { to, amount: yuan, note: reason.trim() };
  }
  const why = reason.trim();
  return why ? { to: 'rejected', note: why } : { field: 'reason' };
}
