// A lead's feedback from the unit it was pushed to (线索反馈): the statuses it may move to, and the
// body of POST /api/leads/{id}/feedback from what was typed. The server checks both again.
import { parseYuan } from './intake';

const ORDER = ['pushed', 'accepted', 'verified', 'closed', 'rejected'];

// As dispatch::CanMove: nothing after closed or rejected; rejected from any other; else forward.
export function nextLeadStatuses(status: string): string[] {
  if (status === 'closed' || status === 'rejected') return [];
  const at = ORDER.indexOf(status);
  return ORDER.filter((s, i) => s === 'rejected' || (i > at && s !== 'pushed'));
}

export interface FeedbackTyped { status: string; arrests: string; solved: string; recovered: string; reason: string }
export interface FeedbackBody { status: string; arrests: number; solved: number; recovered: string; reason: string }

// The body, or the name of the first field that is wrong: counts are whole numbers, the money at
// most two decimals (text, never floating point), and a rejection says why.
export function feedbackBody(f: FeedbackTyped): FeedbackBody | { field: string } {
  const count = (s: string) => (/^\d{1,9}$/.test(s.trim() || '0') ? Number(s.trim() || '0') : null);
  const arrests = count(f.arrests);
  if (arrests === null) return { field: 'arrests' };
  const solved = count(f.solved);
  if (solved === null) return { field: 'solved' };
  const recovered = parseYuan(f.recovered.trim() || '0');
  if (recovered === null) return { field: 'recovered' };
  const reason = f.reason.trim();
  if (f.status === 'rejected' && !reason) return { field: 'reason' };
  return { status: f.status, arrests, solved, recovered, reason };
}
