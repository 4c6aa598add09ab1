import { describe, expect, it } from 'vitest';
import { buildCaseBody } from '../src/views/report';

describe('report form', () => {
  it('builds the POST /api/cases body', () => {
    const b = buildCaseBody({ id: ' C9 ', reported_at: '2020-02-08T00:42:00+08:00', region: '330100', category: 'loan',
      loss: '100.00', narrative: '', victim_name: '苏某', victim_phone: '', victim_account: '6228',
      identifiers: 'phone: 177 7212 3456\nurl:http://x.cn/a', transfer_ids: 'T1, T2',
      transfers: 'N1,2020-02-08T00:40:00+08:00,6228,6222,100.00' });
    expect(b.case).toEqual({ id: 'C9', reported_at: '2020-02-08T00:42:00+08:00', region: '330100', category: 'loan', loss: '100.00',
      victim: { name: '苏某', phone: '', account: '6228' }, transfers: ['T1', 'T2', 'N1'],
      identifiers: [{ type: 'phone', value: '177 7212 3456' }, { type: 'url', value: 'http://x.cn/a' }] });
    expect(b.transfers).toEqual([{ id: 'N1', time: '2020-02-08T00:40:00+08:00', from: '6228', to: '6222', amount: '100.00', channel: 'transfer', memo: '' }]);
  });
  it('names the wrong line', () => {
    expect(() => buildCaseBody({ id: 'C', reported_at: 'x', identifiers: 'nocolon' }, 'en')).toThrow('identifiers line 1: type:value');
    expect(() => buildCaseBody({ id: 'C', reported_at: 'x', identifiers: 'nocolon' }, 'zh-CN')).toThrow('涉案标识第 1 行');
    expect(() => buildCaseBody({ id: 'C', reported_at: 'x', transfers: 'a,b\nc' }, 'zh-CN')).toThrow('转账第 1 行');
  });
});
