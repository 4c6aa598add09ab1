import { describe, expect, it } from 'vitest';
import { byProvince, dailyText, yuan } from '../src/figures';
import type { DailyFigures, FigureRow } from '../src/types';

const row = (key: string, cases: number, loss: string, more: Partial<FigureRow> = {}): FigureRow => ({
  key, cases, linked: 0, loss, frozen: '0.00', returned: '0.00', leads_pushed: 0, leads_answered: 0, leads_overdue: 0,
  arrests: 0, solved: 0, warnings: 0, takedowns: 0, ...more,
});

describe('statistics figures', () => {
  it('sums city rows per province for the map, every province present', () => {
    const p = byProvince([row('330100', 2, '100.10'), row('330200', 1, '0.20'), row('450200', 4, '5.00'), row('unknown', 9, '1.00')]);
    expect(p.length).toBe(34);
    expect(p.find((x) => x.province.code === '33')).toMatchObject({ cases: 3, loss: 100.3 });
    expect(p.find((x) => x.province.code === '45')).toMatchObject({ cases: 4, loss: 5 });
    expect(p.reduce((s, x) => s + x.cases, 0)).toBe(7); // "unknown" is on no square
  });
  it('reads money as yuan for the axes', () => {
    expect(yuan('1700000.00')).toBe(1700000);
    expect(yuan('')).toBe(0);
  });
  it('says the daily report in both languages with money for people', () => {
    const d: DailyFigures = {
      day: '2020-02-08', region: '330000', html: '',
      figures: row('2020-02-08', 3, '1700000.00', { arrests: 2 }), to_date: row('total', 12, '2500000.50'),
    };
    const zh = dailyText(d, 'zh-CN');
    expect(zh).toContain('2020-02-08：接报案件 3 起，损失 1,700,000.00 元');
    expect(zh).toContain('抓获嫌疑人 2 名');
    expect(zh).toContain('截至当日累计：案件 12 起，损失 2,500,000.50 元');
    const en = dailyText(d, 'en');
    expect(en).toContain('2020-02-08: 3 cases reported, loss 1,700,000.00 yuan');
    expect(en).toContain('To date: 12 cases, loss 2,500,000.50 yuan');
    expect(`${zh}${en}`).not.toMatch(/\{\w+\}/); // every field filled
  });
});
