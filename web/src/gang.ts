// A cluster of LINKING.md as a link chart: cases are nodes; evidence joins the cases it names (a
// star from the first case for evidence over three or more); all the evidence between one pair of
// cases is one edge, as strong as its strongest piece, labelled with its kinds. Pure; tested.
import type { Cluster } from './types';

export interface GangEdge { id: string; source: string; target: string; kinds: string[]; kind: string; weight: number; count: number }
export interface GangElements {
  nodes: Array<{ data: { id: string; label: string; degree: number } }>;
  edges: Array<{ data: GangEdge }>;
}

export function clusterElements(c: Cluster): GangElements {
  const known = new Set(c.cases);
  const pairs = new Map<string, GangEdge>();
  for (const e of c.evidence) {
    const cs = e.cases.filter((x) => known.has(x));
    for (let k = 1; k < cs.length; k++) {
      const [a, b] = cs[0] < cs[k] ? [cs[0], cs[k]] : [cs[k], cs[0]];
      const key = `${a}\u0000${b}`;
      let g = pairs.get(key);
      if (!g) {
        g = { id: `e${pairs.size}`, source: a, target: b, kinds: [], kind: e.kind, weight: 0, count: 0 };
        pairs.set(key, g);
      }
      if (!g.kinds.includes(e.kind)) g.kinds.push(e.kind);
      if (e.weight > g.weight) {
        g.weight = e.weight;
        g.kind = e.kind;
      }
      g.count++;
    }
  }
  const degree = new Map<string, number>();
  for (const g of pairs.values()) {
    degree.set(g.source, (degree.get(g.source) ?? 0) + 1);
    degree.set(g.target, (degree.get(g.target) ?? 0) + 1);
  }
  return {
    nodes: c.cases.map((id) => ({ data: { id, label: id, degree: degree.get(id) ?? 0 } })),
    edges: [...pairs.values()].map((data) => ({ data })),
  };
}
