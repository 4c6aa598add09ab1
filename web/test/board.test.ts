import { describe, expect, it } from 'vitest';
import { PROVINCES, batchesOf, leadsByProvince, provinceOf, provinceOfFeature } from '../src/provinces';
import { clusterElements } from '../src/gang';
import { cluster, leads } from './fixtures';

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

describe('gang chart', () => {
  it('joins the cases each piece of evidence names', () => {
    const el = clusterElements(cluster);
    expect(el.nodes.map((n) => n.data.id)).toEqual(cluster.cases);
    expect(el.edges.map((e) => [e.data.source, e.data.target, e.data.kinds, e.data.kind, e.data.weight, e.data.count])).toEqual([
      ['CASE000012', 'CASE000345', ['phone', 'money'], 'phone', 0.93, 2], ['CASE000012', 'CASE000400', ['money'], 'money', 0.8, 1]]);
    expect(el.nodes.map((n) => n.data.degree)).toEqual([2, 1, 1]);
  });
});
