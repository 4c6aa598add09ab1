import { describe, expect, it } from 'vitest';
import { answerBody, byUrgency, duration, isAnswered, isPending, movesFor, timeLeft, waited } from '../src/bank';

const H = 3600_000;
const now = Date.parse('2026-03-01T12:00:00+08:00');

describe('moves per role', () => {
  it('gives a centre and an investigator the lifecycle', () => {
    expect(movesFor('centre', 'planned')).toEqual(['sent', 'expired']);
    expect(movesFor('investigator', 'sent')).toEqual(['executed', 'rejected', 'expired']);
    expect(movesFor('centre', 'executed')).toEqual(['returned']);
    expect(movesFor('centre', 'rejected')).toEqual([]);
  });
  it('lets a bank only answer a sent order', () => {
    expect(movesFor('bank', 'sent')).toEqual(['executed', 'rejected']);
    expect(movesFor('bank', 'planned')).toEqual([]);
    expect(movesFor('bank', 'executed')).toEqual([]);
  });
  it('gives an auditor, a hotline operator and no one no move', () => {
    for (const s of ['planned', 'sent', 'executed']) {
      expect(movesFor('auditor', s)).toEqual([]);
      expect(movesFor('hotline', s)).toEqual([]);
      expect(movesFor(undefined, s)).toEqual([]);
    }
  });
});

describe("a bank's lists", () => {
  it('waits on sent orders, and keeps drafts out of the history', () => {
    expect(['planned', 'sent', 'executed', 'rejected', 'expired', 'released', 'returned'].map((status) => [isPending({ status }), isAnswered({ status })]))
      .toEqual([[false, false], [true, false], [false, true], [false, true], [false, true], [false, true], [false, true]]);
  });
  it('puts the most urgent first: deadlines, then stop-payments, then the longest waiting', () => {
    const o = (id: number, kind: string, deadline: string | null, updated_at: string) => ({ id, kind, deadline, updated_at });
    const orders = [
      o(1, 'freeze', null, '2026-03-01T08:00:00+08:00'),
      o(2, 'stop_payment', null, '2026-03-01T10:00:00+08:00'),
      o(3, 'freeze', '2026-03-02T09:00:00+08:00', '2026-03-01T11:00:00+08:00'),
      o(4, 'stop_payment', null, '2026-03-01T09:00:00+08:00'),
      o(5, 'freeze', '2026-03-01T23:00:00+08:00', '2026-03-01T11:00:00+08:00'),
      o(6, 'release', null, '2026-03-01T08:00:00+08:00'),
    ] as Parameters<typeof byUrgency>[0];
    expect(byUrgency(orders).map((x) => x.id)).toEqual([5, 3, 4, 2, 1, 6]);
    expect(orders.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);  // a copy, the list as it was
  });
});

describe('time left', () => {
  it('says days and hours, hours and minutes, minutes, in both languages', () => {
    expect(duration(2 * 24 * H + 3 * H + 59 * 60_000, 'zh-CN')).toBe('2 天 3 小时');
    expect(duration(2 * 24 * H, 'en')).toBe('2 d');
    expect(duration(5 * H + 12 * 60_000, 'zh-CN')).toBe('5 小时 12 分钟');
    expect(duration(5 * H, 'en')).toBe('5 h');
    expect(duration(40 * 60_000 + 59_000, 'en')).toBe('40 min');
    expect(duration(5_000, 'zh-CN')).toBe('1 分钟');
  });
  it('is red under six hours, and overdue once the deadline has passed', () => {
    expect(timeLeft('2026-03-01T18:00:00+08:00', now, 'zh-CN')).toEqual({ text: '6 小时', urgent: false, past: false });
    expect(timeLeft('2026-03-01T17:59:00+08:00', now, 'en')).toEqual({ text: '5 h 59 min', urgent: true, past: false });
    expect(timeLeft('2026-03-01T04:00:00Z', now, 'zh-CN')).toEqual({ text: '已超时', urgent: true, past: true });
    expect(timeLeft(null, now, 'en')).toBeNull();
    expect(timeLeft('soon', now, 'en')).toBeNull();
  });
  it('says how long an order without a deadline has waited', () => {
    expect(waited('2026-03-01T09:30:00+08:00', now, 'zh-CN')).toBe('已等待 2 小时 30 分钟');
    expect(waited('2026-02-28T12:00:00+08:00', now, 'en')).toBe('waiting 1 d');
    expect(waited(null, now, 'en')).toBe('');
  });
});

describe("a bank's answer", () => {
  it('sends the amount held as money text, with separators taken out', () => {
    expect(answerBody('executed', '12,345.6', '')).toEqual({ to: 'executed', amount: '12345.60', note: '' });
    expect(answerBody('executed', '0', '')).toEqual({ to: 'executed', amount: '0.00', note: '' });
  });
  it('refuses an amount that is not money', () => {
    for (const bad of ['', 'abc', '1.234', '-5', '1e5']) expect(answerBody('executed', bad, '')).toEqual({ field: 'amount' });
  });
  it('needs the reason of a rejection', () => {
    expect(answerBody('rejected', '100', '  ')).toEqual({ field: 'reason' });
    expect(answerBody('rejected', 'whatever', ' 账户已销户 ')).toEqual({ to: 'rejected', note: '账户已销户' });
  });
});
