import { describe, expect, it } from 'vitest';
import { isAcyclic, traceToSankey } from '../src/sankey';
import { fromFen, toFen } from '../src/money';
import { cyclicTrace, generatedTrace } from './fixtures';

describe('traceToSankey', () => {
  it('aggregates flows per (from, to) and leaves out back edges and self-transfers', () => {
    const s = traceToSankey(cyclicTrace);
    expect(isAcyclic(s.links)).toBe(true);
    const ab = s.links.find((l) => l.source === 'A' && l.target === 'B')!;
    expect(ab.amount).toBe('1000.00');
    expect(ab.transfers).toBe(2);
    expect(s.loops).toEqual([
      { from: 'C', to: 'A', amount: '700.00', transfers: 1 },
      { from: 'B', to: 'B', amount: '10.00', transfers: 1 },
    ]);
    // Every aggregated amount is either drawn or listed as a loop.
    const drawn = s.links.reduce((x, l) => x + toFen(l.amount), 0) + s.loops.reduce((x, l) => x + toFen(l.amount), 0);
    expect(fromFen(drawn)).toBe(fromFen(cyclicTrace.flows.reduce((x, f) => x + toFen(f.amount), 0)));
  });

  it('marks the roles of accounts', () => {
    const s = traceToSankey(cyclicTrace);
    const role = Object.fromEntries(s.nodes.map((n) => [n.name, n.role]));
    expect(role).toMatchObject({ V: 'victim', D: 'held', E: 'exit', B: 'mule' });
    expect(s.nodes.find((n) => n.name === 'D')!.held).toBe('700.00');
    // Nodes are referenced by the links only by name, and every link end is a node.
    const names = new Set(s.nodes.map((n) => n.name));
    for (const l of s.links) expect(names.has(l.source) && names.has(l.target)).toBe(true);
  });

  it('draws a generated trace acyclically with every flow accounted for', () => {
    const s = traceToSankey(generatedTrace);
    expect(s.links.length).toBeGreaterThan(0);
    expect(isAcyclic(s.links)).toBe(true);
    const total = generatedTrace.flows.reduce((x, f) => x + toFen(f.amount), 0);
    const drawn = s.links.reduce((x, l) => x + toFen(l.amount), 0) + s.loops.reduce((x, l) => x + toFen(l.amount), 0);
    expect(drawn).toBe(total);
    const victims = s.nodes.filter((n) => n.role === 'victim');
    expect(victims.map((v) => v.name)).toContain(generatedTrace.flows[0].from);
    for (const h of generatedTrace.held) expect(s.nodes.find((n) => n.name === h.account)?.role).toBe('held');
  });

  it('is empty for a trace that moved nothing', () => {
    expect(traceToSankey({ case: null, policy: 'fifo', max_hops: 8, seed: '0.00', until: '2020-02-09T00:00:00+08:00', held: [], exits: [], dust: '0.00', flows: [] }))
      .toEqual({ nodes: [], links: [], loops: [], hidden: 0 });
  });

  it('keeps only the heaviest links of a big trace', () => {
    const s = traceToSankey(cyclicTrace, 2);
    expect(s.hidden).toBe(3); // of V>A, A>B, B>C, A>D, B>E
    expect(s.links.map((l) => [l.source, l.target, l.amount])).toEqual([['V', 'A', '1000.00'], ['A', 'B', '1000.00']]);
    expect(s.nodes.map((n) => n.name).sort()).toEqual(['A', 'B', 'V']);
  });
});

describe('money', () => {
  it('parses and prints yuan exactly', () => {
    expect(toFen('1700000.00')).toBe(170000000);
    expect(toFen('0.5')).toBe(50);
    expect(toFen('-12.34')).toBe(-1234);
    expect(fromFen(toFen('0.07') + toFen('0.03'))).toBe('0.10');
  });
});
