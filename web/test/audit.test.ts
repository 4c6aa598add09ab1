import { describe, expect, it } from 'vitest';
import { actionLabel, auditFromHash, detailText, auditRange, auditToHash, distinct, filterAudit, prevAfter, verifyText, type AuditEntry } from '../src/audit';

const entries: AuditEntry[] = [
  { id: 11, at: '2026-03-01T10:00:00+08:00', user: 'wang', role: 'centre', action: 'login', target: 'wang', reason: '', detail: '' },
  { id: 12, at: '2026-03-01T10:01:00+08:00', user: 'wang', role: 'centre', action: 'search', target: '6225887043055967', reason: '', detail: 'q=6225' },
  { id: 13, at: '2026-03-01T10:02:00+08:00', user: 'li01', role: 'investigator', action: 'case.read', target: 'C000001', reason: '受害人报案', detail: '' },
  { id: 14, at: '2026-03-01T10:03:00+08:00', user: 'li01', role: 'investigator', action: 'profile.read', target: 'account:6225887043055967', reason: '', detail: 'Cases 2' },
];

describe('audit log page', () => {
  it('keeps the page in the address, defaults left out', () => {
    expect(auditToHash({ after: 0, limit: 100 })).toBe('');
    expect(auditToHash({ after: 200, limit: 50 })).toBe('after=200&limit=50');
    expect(auditFromHash('')).toEqual({ after: 0, limit: 100 });
    expect(auditFromHash('after=200&limit=50')).toEqual({ after: 200, limit: 50 });
    expect(auditFromHash('after=-3&limit=7')).toEqual({ after: 0, limit: 100 });
    expect(auditFromHash('after=x')).toEqual({ after: 0, limit: 100 });
  });
  it('goes back a page by ids, never before the first entry', () => {
    expect(prevAfter(201, 100)).toBe(100);
    expect(prevAfter(101, 100)).toBe(0);
    expect(prevAfter(51, 100)).toBe(0);
  });
  it('filters the loaded page by action, user and text', () => {
    const ids = (f: Parameters<typeof filterAudit>[1]) => filterAudit(entries, f).map((e) => e.id);
    expect(ids({ action: '', user: '', text: '' })).toEqual([11, 12, 13, 14]);
    expect(ids({ action: 'search', user: '', text: '' })).toEqual([12]);
    expect(ids({ action: '', user: 'li01', text: '' })).toEqual([13, 14]);
    expect(ids({ action: '', user: '', text: ' 6225887043055967 ' })).toEqual([12, 14]);
    expect(ids({ action: '', user: '', text: 'cases' })).toEqual([14]);
    expect(ids({ action: '', user: '', text: '报案' })).toEqual([13]);
    expect(ids({ action: 'login', user: 'li01', text: '' })).toEqual([]);
    expect(distinct(entries, 'user')).toEqual(['li01', 'wang']);
    expect(distinct(entries, 'action')).toEqual(['case.read', 'login', 'profile.read', 'search']);
  });
  it('says actions, the range and the verification in the page language', () => {
    expect(actionLabel('login', 'zh-CN')).toBe('登录');
    expect(actionLabel('profile.read', 'en')).toBe('profile read');
    expect(actionLabel('new.action', 'zh-CN')).toBe('new.action');
    expect(detailText('user.add', 'centre  ', 'zh-CN')).toBe('反诈中心');
    expect(detailText('user.add', 'investigator 330100 ', 'en')).toBe('Investigator 330100');
    expect(detailText('import.file', 'cases: 10 rows', 'zh-CN')).toBe('cases: 10 rows');
    expect(auditRange(entries, 2, 'zh-CN')).toBe('第 11–14 条，筛选后显示 2 条');
    expect(auditRange(entries, 4, 'en')).toBe('Entries 11–14, 4 shown by the filter');
    expect(auditRange([], 0, 'zh-CN')).toBe('此后没有记录');
    expect(verifyText({ ok: true, entries: 15, head: '15:abc' }, 'zh-CN')).toBe('审计链完整：共 15 条记录，链头 15:abc');
    expect(verifyText({ ok: true, entries: 15, head: '15:abc' }, 'en')).toBe('The chain is intact: 15 entries, head 15:abc');
    expect(verifyText({ ok: false, entries: 15, first_broken: 7, message: 'hash mismatch' }, 'zh-CN')).toBe('审计链已被篡改：自第 7 条起校验失败（共 15 条记录）');
    expect(verifyText({ ok: false, entries: 15, first_broken: 7 }, 'en')).toContain('from no. 7 on');
  });
});
