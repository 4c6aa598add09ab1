import { describe, expect, it } from 'vitest';
import { CAP, chartElements, dayRange, firstExpanded, identifierId, kindsOf, linkGraph, shortValue, toggle, visibleNodes } from '../src/gang';
import type { Cluster } from '../src/types';
import { cluster } from './fixtures';

const all = { kinds: null, from: '', to: '' };
const phone = identifierId('phone', '+8617772123456');

// Four cases: A and B share a phone, B, C and D a URL, C and D similar narratives; E only money with A.
const gang: Cluster = {
  id: 'K1', cases: ['A', 'B', 'C', 'D', 'E'], loss: '1.00', regions: ['330100'],
  evidence: [
    { cases: ['A', 'B'], kind: 'phone', value: '13800000000', weight: 0.9 },
    { cases: ['B', 'C', 'D'], kind: 'url', value: 'http://x.cc/', weight: 0.7 },
    { cases: ['C', 'D'], kind: 'narrative', value: 'similarity 0.8', weight: 0.5 },
    { cases: ['A', 'E'], kind: 'money', value: '6222', weight: 0.6 },
    { cases: ['A', 'Z'], kind: 'wechat', value: 'wx1', weight: 0.6 },  // Z is not in the cluster
  ],
};
const days = new Map([['A', '2020-02-01'], ['B', '2020-02-03'], ['C', '2020-02-10'], ['D', '2020-02-12']]);  // E: unknown
const P = identifierId('phone', '13800000000');
const U = identifierId('url', 'http://x.cc/');

describe('gang link graph', () => {
  it('draws the shared identifiers as nodes beside the cases, money and narratives as edges', () => {
    const g = linkGraph(cluster, all, new Map());
    expect([...g.nodes.keys()]).toEqual(['CASE000012', 'CASE000345', 'CASE000400', phone]);
    expect(g.nodes.get(phone)).toMatchObject({ type: 'identifier', kind: 'phone', value: '+8617772123456', cases: ['CASE000012', 'CASE000345'] });
    expect(g.edges.map((e) => [e.source, e.target, e.kind])).toEqual([
      ['CASE000012', 'CASE000345', 'money'], ['CASE000012', 'CASE000400', 'money'],
      [phone, 'CASE000012', 'phone'], [phone, 'CASE000345', 'phone']]);
    expect(g.neighbours.get('CASE000012')).toEqual(['CASE000345', 'CASE000400', phone]);
    expect(g.collapsed).toBe(0);
  });
  it('leaves out the cases of no other evidence, and evidence naming fewer than two kept cases', () => {
    const g = linkGraph(gang, all, days);
    expect([...g.nodes.keys()]).toEqual(['A', 'B', 'C', 'D', 'E', P, U]);
    expect(g.edges.filter((e) => e.kind === 'wechat')).toEqual([]);
  });
  it('filters by evidence kind', () => {
    const g = linkGraph(gang, { kinds: new Set(['phone', 'money']), from: '', to: '' }, days);
    expect([...g.nodes.keys()]).toEqual(['A', 'B', 'C', 'D', 'E', P]);
    expect(g.edges.map((e) => e.kind).sort()).toEqual(['money', 'phone', 'phone']);
  });
  it('filters by report day, keeping the asked case and the cases of unknown day', () => {
    const g = linkGraph(gang, { kinds: null, from: '2020-02-02', to: '2020-02-10' }, days, 'A');
    expect([...g.nodes.keys()]).toEqual(['A', 'B', 'C', 'E', P, U]);
    expect(g.nodes.get(U)?.cases).toEqual(['B', 'C']);
    expect(linkGraph(gang, { kinds: null, from: '2020-02-11', to: '' }, days).nodes.has(P)).toBe(false);
    expect(dayRange(gang, days)).toEqual(['2020-02-01', '2020-02-12']);
    expect(kindsOf(gang)).toEqual(['money', 'narrative', 'phone', 'url', 'wechat']);
  });
  it('collapses identifiers shared by two cases into edges when the graph is big', () => {
    const g = linkGraph(gang, all, days, '', 5);
    expect([...g.nodes.keys()]).toEqual(['A', 'B', 'C', 'D', 'E', U]);
    expect(g.collapsed).toBe(1);
    expect(g.edges.find((e) => e.source === 'A' && e.target === 'B')?.kind).toBe('phone');
  });
});

describe('exploring the gang', () => {
  const g = linkGraph(gang, all, days);
  it('starts from the asked case: its identifiers and the cases linked to it', () => {
    expect([...firstExpanded(g, 'A')]).toEqual(['A']);
    expect([...firstExpanded(g, 'nope')]).toEqual([]);
    expect(visibleNodes(g, 'A', firstExpanded(g, 'A')).ids).toEqual(['A', 'E', P]);
  });
  it('opens an identifier to show its cases, and closes it again', () => {
    const open = toggle(firstExpanded(g, 'A'), P);
    expect(visibleNodes(g, 'A', open).ids).toEqual(['A', 'E', P, 'B']);
    expect(visibleNodes(g, 'A', toggle(open, P)).ids).toEqual(['A', 'E', P]);
    const b = toggle(toggle(open, 'B'), U);
    expect(visibleNodes(g, 'A', b).ids).toEqual(['A', 'E', P, 'B', U, 'C', 'D']);
    expect(visibleNodes(g, 'A', toggle(b, 'B')).ids).toEqual(['A', 'E', P, 'B']);
  });
  it('shows every node at once, nearest first, and caps what is drawn', () => {
    expect(visibleNodes(g, 'C', 'all').ids).toEqual(['C', 'D', U, 'B', P, 'A', 'E']);
    expect(visibleNodes(g, 'C', 'all', 3)).toEqual({ ids: ['C', 'D', U], leftOut: 4 });
    expect(CAP).toBeGreaterThan(300);
  });
  it('marks the asked case and the hidden neighbours of each node', () => {
    const el = chartElements(g, ['A', 'E', P, 'B'], 'A');
    expect(el.nodes.map((n) => [n.data.id, n.data.label, n.data.asked, n.data.more])).toEqual([
      ['A', 'A', true, 0], ['E', 'E', false, 0], [P, '13800000000', false, 0], ['B', 'B +1', false, 1]]);
    expect(el.edges.map((e) => [e.data.source, e.data.target])).toEqual([['A', 'E'], [P, 'A'], [P, 'B']]);
    expect(shortValue('http://a-very-long-domain-name.example.cn/path', 12)).toBe('http://a-ve…');
  });
});
