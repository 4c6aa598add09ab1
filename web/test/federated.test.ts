import { describe, expect, it } from 'vitest';
import { progressRows } from '../src/views/federated';

describe('the trace through the banks', () => {
  const progress = {
    rounds: 4, asked: 7, answered: 6, waiting: 1, late: 1,
    banks_asked: ['中国工商银行', '招商银行'], banks_answered: ['中国工商银行'],
    hops_known: 2, accounts_reached: 9, transfers_known: 120, elapsed_ms: 812,
  };
  it('shows the progress in Chinese, a late bank beside what is waited for', () => {
    const rows = progressRows(progress, 'zh-CN');
    expect(rows[0]).toEqual(['轮次', '4']);
    expect(rows.find(([k]) => k === '等待回复')?.[1]).toBe('1 (超时 1)');
    expect(rows.find(([k]) => k === '已询问银行')?.[1]).toBe('中国工商银行、招商银行');
    expect(rows.find(([k]) => k === '已完整跳数')?.[1]).toBe('2');
  });
  it('and in English', () => {
    expect(progressRows(progress, 'en')[1]).toEqual(['Queries', '7']);
  });
  it('has nothing to show before the first round', () => {
    expect(progressRows(null, 'zh-CN')).toEqual([]);
  });
});
