import { describe, expect, it } from 'vitest';
import { noticeOf, type OrderHistory } from '../src/views/notice';

// An order as GET /api/freeze-orders/{id}/history answers it (docs/API.md).
const order = (more: Partial<OrderHistory> = {}): OrderHistory => ({
  id: 7, kind: 'freeze', case: 'C000001', account: '6212262541923341854', institution: '中国工商银行', holder: '陈红',
  amount: '1700000.00', frozen: '0.00', status: 'sent', reason: '', policy: 'fifo', document: '桂公冻字〔2026〕7号',
  requested_by: 'wang', unit: '450200', payment: null, releases: null, released_by: null, executed_at: null, deadline: null,
  renewals: 0, renewal_pending: 0, expired_at: null, created_at: '2026-03-01T23:50:00.120+08:00', updated_at: '2026-03-02T00:10:00+08:00',
  history: [{ seq: 1, at: '2026-03-01T23:50:00.120+08:00', status: 'planned' }, { seq: 2, at: '2026-03-02T00:10:00+08:00', status: 'sent' }],
  ...more,
});
const text = (n: ReturnType<typeof noticeOf>) => JSON.stringify(n);

describe('notice', () => {
  it('is titled and grounded by the kind of order', () => {
    expect(noticeOf(order(), 'zh-CN').title).toBe('协助冻结财产通知书');
    expect(noticeOf(order(), 'zh-CN').body).toContain('《中华人民共和国刑事诉讼法》第一百四十四条');
    const stop = noticeOf(order({ kind: 'stop_payment' }), 'zh-CN');
    expect(stop.title).toBe('协助止付通知书');
    expect(stop.body).toContain('反电信网络诈骗法》第二十条');
    const release = noticeOf(order({ kind: 'release', releases: 3 }), 'en');
    expect(release.title).toBe('Notice of release of frozen property');
    expect(release.body).toContain('order no. 3');
  });
  it('shows money with separators and times in China time, never raw', () => {
    const n = noticeOf(order({ kind: 'stop_payment', status: 'executed', frozen: '1234.5', executed_at: '2026-03-02T01:00:00Z',
      deadline: '2026-03-04T01:00:00Z', renewals: 1, payment: { transfer: 'T9', amount: '5000.00', time: '2026-03-01T10:30:00+08:00' } }), 'zh-CN');
    const fields = Object.fromEntries(n.fields);
    expect(fields['止付金额']).toBe('人民币 1,700,000.00 元');
    expect(fields['已冻结']).toBe('人民币 1,234.50 元');
    expect(fields['资金到账转账（流水号、金额、时间）']).toBe('T9 · 人民币 5,000.00 元 · 2026-03-01 10:30');
    expect(fields['期限']).toBe('至 2026-03-04 09:00（已续期 1 次）');
    expect(fields['系统单号']).toBe('7（已冻结）');
    expect(fields['执行时间']).toBe('2026-03-02 09:00');
    expect(text(n)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
  it('names who asked and the day it went out', () => {
    const zh = Object.fromEntries(noticeOf(order(), 'zh-CN').sign);
    expect(zh).toEqual({ 提请单位: '广西 450200', 经办人: 'wang', 制发日期: '2026年3月2日' });
    expect(Object.fromEntries(noticeOf(order({ unit: '', history: [] }), 'en').sign)['Date of issue']).toBe('2026-03-01');
    expect(Object.fromEntries(noticeOf(order({ unit: '' }), 'zh-CN').sign)['提请单位']).toBe('国家反诈中心');
  });
  it('keeps data as it came, markup and braces included', () => {
    const n = noticeOf(order({ holder: '<img src=x onerror=alert(1)>', institution: '{basis}', document: '' }), 'zh-CN');
    expect(Object.fromEntries(n.fields)['户名']).toBe('<img src=x onerror=alert(1)>');
    expect(n.to).toBe('{basis}：');
    expect(n.document).toBe('文书号：（未填写文书号）');
  });
});
