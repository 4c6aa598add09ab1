import { describe, expect, it } from 'vitest';
import { PROVINCES, batchesOf, leadsByProvince, provinceOf, provinceOfFeature } from '../src/provinces';
import { leads } from './fixtures';

describe('tile grid map', () => {
  it('places every province-level division on its own square', () => {
    expect(PROVINCES.length).toBe(34);
    const spots = new Set(PROVINCES.map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(34);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(provinceOf('450200')?.zh).toBe('广西');
  });
  it('counts leads and overdue leads per province', () => {
    const c = leadsByProvince(leads);
    expect(c.length).toBe(34);
    expect(c.find((x) => x.province.code === '45')).toMatchObject({ leads: 2, overdue: 1 });
    expect(c.find((x) => x.province.code === '35')).toMatchObject({ leads: 1, overdue: 0 });
    expect(c.reduce((s, x) => s + x.leads, 0)).toBe(3); // 999900 is no province
  });
  it("knows a deployer's map features by adcode or by name", () => {
    expect(provinceOfFeature({ adcode: 110000, name: 'Beijing' })?.code).toBe('11');
    expect(provinceOfFeature({ adcode: '450000' })?.zh).toBe('广西');
    expect(provinceOfFeature({ name: '内蒙古自治区' })?.code).toBe('15');
    expect(provinceOfFeature({ name: '香港特别行政区' })?.code).toBe('81');
    expect(provinceOfFeature({ name: '南海诸岛' })).toBeUndefined();
    expect(provinceOfFeature({ adcode: '100000_JD' })).toBeUndefined();
    expect(provinceOfFeature(null)).toBeUndefined();
  });
  it('lists batches newest first', () => {
    expect(batchesOf(leads).map((b) => [b.label, b.leads, b.overdue])).toEqual([
      ['350300-0001', 1, 0], ['999900-0001', 1, 0], ['450200-0001', 2, 1]]);
  });
});

