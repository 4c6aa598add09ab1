// A cluster of LINKING.md as a link chart: cases are nodes, each piece of evidence joins the cases it
// names (a star from the first case for evidence over three or more). Pure; tested.
import type { Cluster } from './types';

export interface GangElements {
  nodes: Array<{ data: { id: string; label: string } }>;
  edges: Array<{ data: { id: string; source: string; target: string; kind: string; value: string; weight: number } }>;
}

export function clusterElements(c: Cluster): GangElements {
  const nodes = c.cases.map((id) => ({ data: { id, label: id } }));
  const known = new Set(c.cases);
  const edges: GangElements['edges'] = [];
  c.evidence.forEach((e, i) => {
    const cs = e.cases.filter((x) => known.has(x));
    for (let k = 1; k < cs.length; k++) {
      edges.push({ data: { id: `e${i}-${k}`, source: cs[0], target: cs[k], kind: e.kind, value: e.value, weight: e.weight } });
    }
  });
  return { nodes, edges };
}
