// A cluster of LINKING.md as a link chart you explore. Cases are nodes, and so is every shared
// identifier (phone, account, URL, WeChat id ...): an identifier node is joined to each case that
// names it. Money and similar narratives are no identifiers but relations between cases: all of it
// between one pair of cases is one edge, as strong as its strongest piece. Filters (evidence kinds,
// the cases' report days) shape the graph; what is drawn grows from the case asked for, node by node
// (visibleNodes). A big gang stays readable: over BIG nodes, identifiers shared by only two cases
// become edges between them, and at most CAP nodes are drawn, the nearest to the asked case first.
// Pure; tested by test/gang.test.ts.
import type { Cluster } from './types';

// Evidence kinds that relate cases without naming an identifier.
export const RELATION_KINDS = new Set(['money', 'narrative']);
export const BIG = 300;
export const CAP = 400;

export interface GangFilter {
  kinds: Set<string> | null;  // the evidence kinds kept; null: all
  from: string;               // report days kept, 'YYYY-MM-DD' inclusive (China time); '' open
  to: string;
}
export interface LinkNode {
  id: string;
  type: 'case' | 'identifier';
  kind: string;      // identifier: its evidence kind; case: ''
  value: string;     // identifier: the shared value; case: its id
  cases: string[];   // identifier: the cases naming it
  day: string;       // case: its report day, '' when unknown
  weight: number;
}
export interface LinkEdge { id: string; source: string; target: string; kind: string; kinds: string[]; weight: number; count: number }
export interface LinkGraph {
  nodes: Map<string, LinkNode>;
  edges: LinkEdge[];
  neighbours: Map<string, string[]>;
  collapsed: number;  // identifiers shared by two cases drawn as an edge between them
}

export function identifierId(kind: string, value: string): string {
  return `id:${kind}:${value}`;
}

// The evidence kinds of a cluster, the most frequent first (the filter's check boxes).
export function kindsOf(c: Cluster): string[] {
  const n = new Map<string, number>();
  for (const e of c.evidence) n.set(e.kind, (n.get(e.kind) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

// The first and last report day of the cluster's cases that have one (the time filter's bounds).
export function dayRange(c: Cluster, days: Map<string, string>): [string, string] {
  const known = c.cases.map((id) => days.get(id) ?? '').filter(Boolean).sort();
  return [known[0] ?? '', known[known.length - 1] ?? ''];
}

// The graph of a cluster after the filter. `days`: case id -> report day (a case of unknown day is
// kept); `keep`: the case asked for, kept whatever its day.
export function linkGraph(c: Cluster, filter: GangFilter, days: Map<string, string>, keep = '', big = BIG): LinkGraph {
  const inRange = (id: string) => {
    const d = days.get(id) ?? '';
    return id === keep || d === '' || ((!filter.from || d >= filter.from) && (!filter.to || d <= filter.to));
  };
  const cases = c.cases.filter(inRange);
  const kept = new Set(cases);
  const nodes = new Map<string, LinkNode>();
  for (const id of cases) nodes.set(id, { id, type: 'case', kind: '', value: id, cases: [id], day: days.get(id) ?? '', weight: 0 });
  const identifiers = new Map<string, LinkNode>();
  const relations: Array<{ kind: string; cases: string[]; weight: number }> = [];
  for (const e of c.evidence) {
    if (filter.kinds && !filter.kinds.has(e.kind)) continue;
    const cs = [...new Set(e.cases.filter((x) => kept.has(x)))];
    if (cs.length < 2) continue;
    if (RELATION_KINDS.has(e.kind)) {
      relations.push({ kind: e.kind, cases: cs, weight: e.weight });
      continue;
    }
    const id = identifierId(e.kind, e.value);
    const n = identifiers.get(id);
    if (n) {
      for (const x of cs) if (!n.cases.includes(x)) n.cases.push(x);
      n.weight = Math.max(n.weight, e.weight);
    } else {
      identifiers.set(id, { id, type: 'identifier', kind: e.kind, value: e.value, cases: cs, day: '', weight: e.weight });
    }
  }
  let collapsed = 0;
  const over = cases.length + identifiers.size > big;
  for (const n of identifiers.values()) {
    if (over && n.cases.length === 2) {
      relations.push({ kind: n.kind, cases: n.cases, weight: n.weight });
      collapsed++;
    } else {
      nodes.set(n.id, n);
    }
  }
  const edges: LinkEdge[] = [];
  // Relations: a star from the first case for evidence over three or more; one edge a pair.
  const pairs = new Map<string, LinkEdge>();
  for (const r of relations) {
    for (let k = 1; k < r.cases.length; k++) {
      const [a, b] = r.cases[0] < r.cases[k] ? [r.cases[0], r.cases[k]] : [r.cases[k], r.cases[0]];
      const key = `${a}\u0000${b}`;
      let g = pairs.get(key);
      if (!g) {
        g = { id: `r${pairs.size}`, source: a, target: b, kind: r.kind, kinds: [], weight: 0, count: 0 };
        pairs.set(key, g);
      }
      if (!g.kinds.includes(r.kind)) g.kinds.push(r.kind);
      if (r.weight > g.weight) {
        g.weight = r.weight;
        g.kind = r.kind;
      }
      g.count++;
    }
  }
  edges.push(...pairs.values());
  for (const n of nodes.values()) {
    if (n.type !== 'identifier') continue;
    for (const x of n.cases) edges.push({ id: `${n.id}\u0000${x}`, source: n.id, target: x, kind: n.kind, kinds: [n.kind], weight: n.weight, count: 1 });
  }
  const neighbours = new Map<string, string[]>([...nodes.keys()].map((id) => [id, []]));
  for (const e of edges) {
    neighbours.get(e.source)?.push(e.target);
    neighbours.get(e.target)?.push(e.source);
  }
  return { nodes, edges, neighbours, collapsed };
}

// Where exploring starts: the asked case opened, showing the identifiers it names and the cases
// its money or narrative links it to; opening an identifier then shows the cases sharing it.
export function firstExpanded(g: LinkGraph, focus: string): Set<string> {
  return new Set(g.nodes.has(focus) ? [focus] : []);
}

// The nodes to draw, nearest to `focus` first: from it, the neighbours of every opened node
// ('all': every node, unreachable ones last); at most `cap`, the rest counted in leftOut.
export function visibleNodes(g: LinkGraph, focus: string, expanded: Set<string> | 'all', cap = CAP): { ids: string[]; leftOut: number } {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (start: string) => {
    if (!g.nodes.has(start) || seen.has(start)) return;
    seen.add(start);
    order.push(start);
    for (let i = order.length - 1; i < order.length; i++) {
      const id = order[i];
      if (expanded !== 'all' && !expanded.has(id)) continue;
      for (const n of g.neighbours.get(id) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          order.push(n);
        }
      }
    }
  };
  visit(focus);
  if (expanded === 'all') for (const id of g.nodes.keys()) visit(id);
  return { ids: order.slice(0, cap), leftOut: Math.max(0, order.length - cap) };
}

// Opening a closed node, closing an open one.
export function toggle(expanded: Set<string>, id: string): Set<string> {
  const next = new Set(expanded);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

// Shown in a node's label: an identifier's value, cut to `max` characters.
export function shortValue(v: string, max = 24): string {
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}

export interface ChartNode { data: { id: string; label: string; type: string; kind: string; asked: boolean; more: number } }
export interface ChartEdge { data: LinkEdge }

// Cytoscape's elements for the visible nodes: each node says how many of its neighbours are not
// drawn (`more`, shown as "+N"), the asked case is marked.
export function chartElements(g: LinkGraph, ids: string[], asked: string): { nodes: ChartNode[]; edges: ChartEdge[] } {
  const shown = new Set(ids);
  const nodes = ids.map((id) => {
    const n = g.nodes.get(id)!;
    const more = (g.neighbours.get(id) ?? []).filter((x) => !shown.has(x)).length;
    const label = (n.type === 'case' ? n.id : shortValue(n.value)) + (more ? ` +${more}` : '');
    return { data: { id, label, type: n.type, kind: n.kind, asked: id === asked, more } };
  });
  const edges = g.edges.filter((e) => shown.has(e.source) && shown.has(e.target)).map((data) => ({ data }));
  return { nodes, edges };
}
