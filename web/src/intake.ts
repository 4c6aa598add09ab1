// The report form's pure parts (views/report.ts): Asia/Shanghai wall time for <input
// type="datetime-local">, money as typed, and the POST /api/cases body from the form's rows, with
// errors that name the field they are about. Times are read and written as China time whatever the
// browser's zone: the input's value is a zone-less "YYYY-MM-DDTHH:MM[:SS]" string, only ever
// handled as text here, and China has been UTC+8 all year since 1991 (no daylight saving). Tested by
// test/intake.test.ts.
import { tf, type Lang } from './i18n';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

// A form error: `field` is the form's name for it ('reported_at', 'payments.2.amount').
export class FieldError extends Error {
  constructor(public field: string, message: string) {
    super(message);
  }
}

// "2020-02-08T00:42" (China wall time, as a datetime-local input holds it) -> RFC 3339 with +08:00,
// "2020-02-08T00:42:00+08:00"; null when it is no real date and time.
export function shanghaiToRfc3339(local: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, hh, mi, ss = '00'] = m.slice(1).map((x) => x ?? '00');
  const days = [31, (+y % 4 === 0 && +y % 100 !== 0) || +y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > days[+mo - 1] || +hh > 23 || +mi > 59 || +ss > 59) return null;
  return `${y}-${mo}-${d}T${hh}:${mi}:${ss}+08:00`;
}

// An instant (RFC 3339 with any offset, or milliseconds since the epoch) as China wall time for a
// datetime-local input, "2020-02-08T00:42" (with seconds when it has them); '' when it is no time.
export function toShanghaiLocal(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms + CHINA_OFFSET_MS).toISOString();
  return iso.slice(17, 19) === '00' ? iso.slice(0, 16) : iso.slice(0, 19);
}

// Yuan as typed ("5000", "5,000.5", "0.01") -> the API's decimal string ("5000.00", "5000.50"), or
// null when it is not an amount of at most two decimals. Text only: no floating point.
export function parseYuan(typed: string): string | null {
  const s = typed.trim().replace(/[,，\s]/g, '');
  const m = /^(\d{1,15})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1].replace(/^0+(?=\d)/, '');
  return `${whole}.${(m[2] ?? '').padEnd(2, '0')}`;
}

// A positive amount: parseYuan, and not zero.
export function parsePayment(typed: string): string | null {
  const y = parseYuan(typed);
  return y === null || /^0\.00$/.test(y) ? null : y;
}

export const ID_TYPES = ['phone', 'account', 'wechat', 'qq', 'alipay', 'url', 'domain', 'email', 'id_card', 'device', 'ip', 'other'];
export const CHANNELS = ['transfer', 'purchase', 'withdrawal', 'deposit'];

export interface IdentifierRow { type: string; value: string }
export interface PaymentRow { time: string; from: string; to: string; amount: string; channel: string }
export interface IntakeForm {
  id: string; reported_at: string; region: string; category: string; loss: string; narrative: string;
  victim_name: string; victim_phone: string; victim_account: string; transfer_ids: string;
  identifiers: IdentifierRow[]; payments: PaymentRow[];
}
export interface CaseBody { case: Record<string, unknown>; transfers: Record<string, string>[] }

// The form as the API's body. Empty rows are left out; a payment's id is the case's id and its row
// ("C9-T1"). Throws a FieldError naming the first wrong field, in `language`.
export function buildCaseBody(f: IntakeForm, language: Lang): CaseBody {
  const id = f.id.trim();
  if (!id) throw new FieldError('id', tf('report.need', { field: tf('report.id', {}, language) }, language));
  const reported = shanghaiToRfc3339(f.reported_at);
  if (!reported) throw new FieldError('reported_at', tf('report.bad_time', {}, language));
  const c: Record<string, unknown> = { id, reported_at: reported };
  if (f.region.trim()) {
    if (!/^\d{6}$/.test(f.region.trim())) throw new FieldError('region', tf('report.bad_region', {}, language));
    c.region = f.region.trim();
  }
  if (f.category) c.category = f.category;
  if (f.loss.trim()) {
    const loss = parseYuan(f.loss);
    if (loss === null) throw new FieldError('loss', tf('report.bad_amount', {}, language));
    c.loss = loss;
  }
  if (f.narrative.trim()) c.narrative = f.narrative;
  if (f.victim_name.trim() || f.victim_phone.trim() || f.victim_account.trim()) {
    c.victim = { name: f.victim_name.trim(), phone: f.victim_phone.trim(), account: f.victim_account.trim() };
  }
  const identifiers = f.identifiers.filter((r) => r.value.trim()).map((r) => ({ type: r.type, value: r.value.trim() }));
  const transfers: Record<string, string>[] = [];
  f.payments.forEach((p, i) => {
    if (!p.time.trim() && !p.from.trim() && !p.to.trim() && !p.amount.trim()) return;
    const n = i + 1;
    const time = shanghaiToRfc3339(p.time);
    if (!time) throw new FieldError(`payments.${i}.time`, tf('report.row', { n }, language) + tf('report.bad_time', {}, language));
    const amount = parsePayment(p.amount);
    if (amount === null) throw new FieldError(`payments.${i}.amount`, tf('report.row', { n }, language) + tf('report.bad_amount', {}, language));
    transfers.push({ id: `${id}-T${n}`, time, from: p.from.trim(), to: p.to.trim(), amount, channel: p.channel || 'transfer', memo: '' });
  });
  const ids = f.transfer_ids.split(/[,，\s]+/).filter(Boolean);
  for (const t of transfers) if (!ids.includes(t.id)) ids.push(t.id);
  c.transfers = ids;
  c.identifiers = identifiers;
  return { case: c, transfers };
}

// The form field a server's 400 names ("case.region: ...", "transfers[1].amount: ..."), as
// buildCaseBody names fields, or '' when it names none the form has. `posted` maps the body's
// transfers back to the payment rows they came from.
export function fieldOfServerError(message: string, posted: CaseBody, payments: PaymentRow[]): string {
  const m = /^(?:case\.([a-z_]+)(?:\.([a-z_]+))?|transfers\[(\d+)\](?:\.([a-z_]+))?)/.exec(message.trim());
  if (!m) return '';
  if (m[1]) {
    if (m[1] === 'victim') return m[2] ? `victim_${m[2]}` : 'victim_name';
    return ['id', 'reported_at', 'region', 'category', 'loss', 'narrative', 'identifiers', 'transfers'].includes(m[1])
      ? (m[1] === 'transfers' ? 'transfer_ids' : m[1]) : '';
  }
  const t = posted.transfers[Number(m[3])];
  if (!t) return '';
  const row = Number(t.id.slice(t.id.lastIndexOf('-T') + 2)) - 1;
  if (!(row >= 0 && row < payments.length)) return '';
  const field = m[4] === 'id' || !m[4] ? 'amount' : m[4];
  return ['time', 'from', 'to', 'amount', 'channel'].includes(field) ? `payments.${row}.${field}` : `payments.${row}.amount`;
}
