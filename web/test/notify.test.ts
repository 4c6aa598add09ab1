import { describe, expect, it } from 'vitest';
import { noticeText, unseen } from '../src/notify';

const due = { key: 'order_due:12', kind: 'order_due' as const, at: '2026-12-02T18:00:00+08:00', href: '#/orders/12',
  text: 'stop_payment order 12 lapses at 2026-12-02 18:00', text_zh: '止付指令 12 将于 2026-12-02 18:00 到期' };
const lead = { key: 'lead_overdue:3', kind: 'lead_overdue' as const, at: '2026-12-01T09:00:00+08:00', href: '#/leads',
  text: 'lead 3 has had no feedback', text_zh: '线索 3 已过反馈期限' };

describe('notifications', () => {
  it('counts as new only the notices not opened yet, by key', () => {
    expect(unseen([due, lead], new Set())).toEqual([due, lead]);
    expect(unseen([due, lead], new Set(['order_due:12']))).toEqual([lead]);
    // A notice that stands keeps its key as its text changes (the time left): still opened.
    expect(unseen([{ ...due, text_zh: '止付指令 12 剩 1 小时' }], new Set(['order_due:12']))).toEqual([]);
  });
  it('speaks the page language', () => {
    expect(noticeText(due)).toBe('止付指令 12 将于 2026-12-02 18:00 到期');
  });
});
