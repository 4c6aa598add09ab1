import { describe, expect, it } from 'vitest';
import { attachmentKindLabel, categoryLabel, dayAfter, dayStart, emptyFilter, fileSize, filterFromHash, filterToHash, orderNote,
  pageRange, queueParams, refHref, shortSha, timelineDetail } from '../src/casework';

describe('the case queue', () => {
  it('keeps its filter in the address and reads it back', () => {
    const f = { ...emptyFilter(), stage: 'opened', region: '杭州市', officer: 'me', overdue: true, sort: 'loss_desc', offset: 50,
      from: '2026-03-01', min_loss: '1000' };
    const hash = filterToHash(f);
    expect(hash).toBe('stage=opened&region=%E6%9D%AD%E5%B7%9E%E5%B8%82&from=2026-03-01&min_loss=1000&officer=me&sort=loss_desc&overdue=1&offset=50');
    expect(filterFromHash(hash)).toEqual(f);
    expect(filterToHash(emptyFilter())).toBe('');
    expect(filterFromHash('')).toEqual(emptyFilter());
    expect(filterFromHash('sort=nonsense&offset=-3&overdue=yes&limit=7')).toEqual(emptyFilter());
    expect(filterToHash({ ...emptyFilter(), limit: 20, offset: 20 })).toBe('offset=20&limit=20');
    expect(filterFromHash('offset=20&limit=20')).toEqual({ ...emptyFilter(), limit: 20, offset: 20 });
    expect(queueParams({ ...emptyFilter(), limit: 20, offset: 20 })).toEqual({ limit: '20', offset: '20' });
  });
  it('asks the server for whole days in China time, the last day included', () => {
    expect(dayStart('2026-03-01')).toBe('2026-03-01T00:00:00+08:00');
    expect(dayAfter('2026-02-28')).toBe('2026-03-01T00:00:00+08:00');
    expect(dayAfter('2024-12-31')).toBe('2025-01-01T00:00:00+08:00');
    expect(dayStart('tomorrow')).toBe('');
    expect(dayAfter('')).toBe('');
    const p = queueParams({ ...emptyFilter(), from: '2026-03-01', to: '2026-03-01', officer: 'none', region: ' 330100 ', overdue: true });
    expect(p).toEqual({ region: '330100', officer: 'none', from: '2026-03-01T00:00:00+08:00', to: '2026-03-02T00:00:00+08:00',
      overdue: '1', limit: '50' });
    expect(queueParams({ ...emptyFilter(), sort: 'id', offset: 100 }, 10)).toEqual({ sort: 'id', limit: '10', offset: '100' });
  });
  it('says which rows a page shows', () => {
    expect(pageRange(0, 50, 230, 'en')).toBe('1–50 of 230');
    expect(pageRange(200, 30, 230, 'zh-CN')).toBe('第 201–230 条，共 230 条');
    expect(pageRange(0, 0, 0, 'en')).toBe('');
  });
  it('names categories and kinds in the page language', () => {
    expect(categoryLabel('investment', '投资理财', 'en')).toBe('Investment');
    expect(categoryLabel('investment', '投资理财', 'zh-CN')).toBe('投资理财');
    expect(categoryLabel('crypto_mining', '挖矿', 'zh-CN')).toBe('挖矿');
    expect(categoryLabel('crypto_mining', '挖矿', 'en')).toBe('crypto_mining');
    expect(attachmentKindLabel('legal_document', '法律文书', 'en')).toBe('Legal document');
    expect(attachmentKindLabel('other', '其他', 'zh-CN')).toBe('其他材料');
  });
});

describe('a case work panel', () => {
  it('opens the record of a timeline event', () => {
    expect(refHref('HZ 1', 'order 12')).toBe('#/orders/12');
    expect(refHref('HZ 1', 'attachment 2')).toBe('/api/cases/HZ%201/attachments/2');
    expect(refHref('HZ 1', 'note 1')).toBe('');
    expect(refHref('HZ 1', '')).toBe('');
  });
  it('shows sizes and digests for people', () => {
    expect(fileSize(812, 'en')).toBe('812 B');
    expect(fileSize(812, 'zh-CN')).toBe('812 字节');
    expect(fileSize(1536, 'en')).toBe('1.5 KB');
    expect(fileSize(20 * 1024 * 1024, 'zh-CN')).toBe('20.0MB');
    expect(shortSha('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('9f86d081884c…');
    expect(shortSha('abc')).toBe('abc');
  });
  it("puts the server's English phrases of the timeline in the page's language, data as it came", () => {
    expect(timelineDetail('trace', 'policy=fifo · 受害人报案，资金查控', 'zh-CN')).toBe('追踪规则：先进先出 · 受害人报案，资金查控');
    expect(timelineDetail('trace', 'policy=poison', 'en')).toBe('policy: Reachability');
    expect(timelineDetail('trace', 'document 杭公查字〔2026〕7号, stop-payments · x', 'zh-CN')).toBe('文书 杭公查字〔2026〕7号，同时止付 · x');
    expect(timelineDetail('order', '3 freeze orders · 受害人报案', 'zh-CN')).toBe('3 份冻结指令 · 受害人报案');
    expect(timelineDetail('order', '2 stop_payment orders, sent', 'en')).toBe('2 Stop-payment orders, sent');
    expect(timelineDetail('order', '6222 · 工商银行 · 5,000.00', 'zh-CN')).toBe('6222 · 工商银行 · 5,000.00');
    expect(timelineDetail('takedown', '4 new requests', 'zh-CN')).toBe('新申请 4 项');
    expect(timelineDetail('takedown', '+8617772123456 · China Mobile', 'zh-CN')).toBe('+8617772123456 · 中国移动');
    expect(timelineDetail('order', '6222 · 工商银行 · 5,000.00 · drafted from trace', 'zh-CN')).toBe('6222 · 工商银行 · 5,000.00 · 由资金追踪生成');
    expect(timelineDetail('order', '6222 · 工商银行 · account closed', 'zh-CN')).toBe('6222 · 工商银行 · account closed');
    expect(timelineDetail('note', 'policy=fifo', 'zh-CN')).toBe('policy=fifo');
    expect(timelineDetail('note', '', 'en')).toBe('');
  });
});

describe("an order's steps on the timeline", () => {
  it('are said in the page language, times in China time, notes kept', () => {
    expect(orderNote('drafted from trace, document 杭公冻字〔2026〕3号', 'zh-CN')).toBe('由资金追踪生成，文书 杭公冻字〔2026〕3号');
    expect(orderNote('drafted from trace', 'en')).toBe('drafted from trace');
    expect(orderNote('in force until 2026-06-01T01:00:00Z: 已到账', 'zh-CN')).toBe('有效至 2026-06-01 09:00：已到账');
    expect(orderNote('renewal 2 executed: in force until 2026-09-01T00:00:00+08:00', 'en'))
      .toBe('renewal 2 executed: in force until 2026-09-01 00:00');
    expect(orderNote('renewal 1 rejected: 账户已销户', 'zh-CN')).toBe('第 1 次续冻被拒绝：账户已销户');
    expect(orderNote('released by order 12', 'zh-CN')).toBe('已由指令 12 解除');
    expect(orderNote('released order 12: 案件办结', 'zh-CN')).toBe('解除指令 12：案件办结');
    expect(orderNote('release of order 12, document 解冻字1号', 'zh-CN')).toBe('解除指令 12，文书 解冻字1号');
    expect(orderNote('deadline 2026-06-01T00:00:00+08:00 by the law, from its execution (the order predates kept deadlines)', 'zh-CN'))
      .toBe('依法自执行之日起算，期限至 2026-06-01 00:00');
    expect(orderNote('lapsed at its deadline: not renewed in time (冻结到期未续，自动失效)', 'zh-CN')).toBe('到期未续，自动失效');
    expect(orderNote('account closed before the order', 'zh-CN')).toBe('account closed before the order');
  });
  it("says the notes the server writes on an order in the page's language, and a typed one as it is", () => {
    expect(orderNote('sent with the draft', 'zh-CN')).toBe('草拟后即发送');
    expect(orderNote('sent with the draft', 'en')).toBe('sent with the draft');
    expect(orderNote('returned by return 12', 'zh-CN')).toBe('已由第 12 号返还方案发还');
    expect(orderNote('账户已销户', 'en')).toBe('账户已销户');
    expect(orderNote('', 'zh-CN')).toBe('');
  });
});
