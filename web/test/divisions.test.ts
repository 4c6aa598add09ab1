import { describe, expect, it } from 'vitest';
import { chainOf, childrenOf, division, divisionLabel, fullName, nameOf, parentOf, regionText } from '../src/divisions';
import { DIVISIONS } from '../src/divisions.gen';
import { PROVINCES } from '../src/provinces';
import table from '../../region/gbt2260.tsv?raw';

describe('GB/T 2260 divisions for the region picker', () => {
  // npm run build runs `node scripts/make-divisions.mjs --check` too.
  it('is region/gbt2260.tsv, every division and no other (else run node web/scripts/make-divisions.mjs)', () => {
    const tsv = table.split('\n').filter((l: string) => /^\d{6}\t/.test(l));
    expect(DIVISIONS.join('|').split('|').length).toBe(tsv.length);
    for (const l of tsv) {
      const [code, name, level] = l.split('\t');
      expect(division(code), code).toMatchObject({ code, name, level });
    }
  });
  it('has the provinces of the tile map', () => {
    const provinces = childrenOf('');
    expect(provinces.map((p) => p.code.slice(0, 2)).sort()).toEqual(PROVINCES.map((p) => p.code).sort());
  });
  it('goes province -> city -> county by name', () => {
    expect(divisionLabel(division('330000')!)).toBe('浙江省 330000');
    expect(divisionLabel(division('330000')!, 'en')).toBe('Zhejiang 浙江省 330000');
    expect(divisionLabel(division('330100')!, 'en')).toBe('杭州市 330100');
    expect(childrenOf('330000').some((c) => c.code === '330100' && c.name === '杭州市')).toBe(true);
    expect(childrenOf('330100').some((c) => c.code === '330106' && c.name === '西湖区')).toBe(true);
    expect(chainOf('330106')).toEqual(['330000', '330100', '330106']);
    expect(chainOf('330100')).toEqual(['330000', '330100']);
    expect(chainOf('429004')).toEqual(['420000', '429000', '429004']);  // 仙桃市, a county-level city under the province
    expect(fullName('330106')).toBe('浙江省 杭州市 西湖区');
    expect(fullName('110101')).toBe('北京市 东城区');
    expect(parentOf('429004')).toBe('429000');
  });
  it('knows no made-up code', () => {
    expect(division('999999')).toBeUndefined();
    expect(chainOf('330199')).toEqual([]);
    expect(fullName('')).toBe('');
  });

  it('names a region beside its code, code first, for the tables', () => {
    expect(regionText('440100')).toBe('440100 广州市');
    expect(regionText('330106')).toBe('330106 西湖区');
    expect(regionText(' 330000 ')).toBe('330000 浙江省');
    expect(regionText('330100', '杭州市')).toBe('330100 杭州市');  // the server's name when it sends one
    expect(regionText('330100', ' ')).toBe('330100 杭州市');
    expect(regionText('110100')).toBe('110100 北京市');  // 市辖区 says nothing: the province's name
    expect(nameOf('110100')).toBe('北京市');
    expect(nameOf('429004')).toBe('仙桃市');
    expect(regionText('999999')).toBe('999999');  // unknown: the code alone
    expect(regionText('unknown')).toBe('unknown');
    expect(nameOf('999999')).toBe('');
    expect(regionText('')).toBe('');
    expect(regionText(undefined)).toBe('');
    expect(regionText(null)).toBe('');
  });
});
