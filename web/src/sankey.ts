// A trace's flows as an ECharts Sankey diagram. Pure: no DOM, tested by test/sankey.test.ts.
//
// A Sankey diagram needs an acyclic graph, while money can go round (A -> B -> A). So:
//  1. flows are aggregated per (from, to): one link, the summed amount, the count of transfers;
//  2. back edges are found by a depth-first search from the sources (accounts that only pay), taken
//     in a fixed order (earliest hop, then account), following the heaviest links first; a back edge
//     (to an account on the current path) and a self-transfer are left out of the links and listed
//     as `loops`, so the page can say what it did not draw.
import type { Trace } from './types';
import { tooltipLines } from './escape';
import { t, tv } from './i18n';
import { fromFen, show, shortAccount, toFen } from './money';

export type NodeRole = 'victim' | 'mule' | 'held' | 'exit';

export interface SankeyNode { name: string; label: string; role: NodeRole; held: string; exit: string; hop: number }
export interface SankeyLink { source: string; target: string; value: number; amount: string; transfers: number }
export interface Loop { from: string; to: string; amount: string; transfers: number }
// `hidden`: links left out to keep a big trace readable (the lightest, beyond maxLinks).
export interface SankeyData { nodes: SankeyNode[]; links: SankeyLink[]; loops: Loop[]; hidden: number }

interface Agg { from: string; to: string; fen: number; transfers: number; hop: number }

export function traceToSankey(trace: Trace, maxLinks = 400): SankeyData {
  const agg = new Map<string, Agg>();
  const hopOf = new Map<string, number>();
  const noteHop = (a: string, h: number) => {
    const old = hopOf.get(a);
    if (old === undefined || h < old) hopOf.set(a, h);
  };
  for (const f of trace.flows) {
    const key = `${f.from}\u0000${f.to}`;
    const a = agg.get(key);
    const fen = toFen(f.amount);
    if (a) {
      a.fen += fen;
      a.transfers += 1;
      a.hop = Math.min(a.hop, f.hops);
    } else {
      agg.set(key, { from: f.from, to: f.to, fen, transfers: 1, hop: f.hops });
    }
    noteHop(f.from, f.hops - 1);
    noteHop(f.to, f.hops);
  }

  const out = new Map<string, Agg[]>();
  const incoming = new Set<string>();
  const loops: Loop[] = [];
  for (const a of agg.values()) {
    if (a.from === a.to) {
      loops.push({ from: a.from, to: a.to, amount: fromFen(a.fen), transfers: a.transfers });
      continue;
    }
    if (!out.has(a.from)) out.set(a.from, []);
    out.get(a.from)!.push(a);
    incoming.add(a.to);
  }
  for (const list of out.values()) list.sort((x, y) => y.fen - x.fen || (x.to < y.to ? -1 : x.to > y.to ? 1 : 0));

  const byHop = (x: string, y: string) => (hopOf.get(x)! - hopOf.get(y)!) || (x < y ? -1 : x > y ? 1 : 0);
  const all = [...hopOf.keys()].sort(byHop);
  const starts = [...all.filter((a) => !incoming.has(a)), ...all.filter((a) => incoming.has(a))];

  // Iterative DFS with colours: 0 new, 1 on the path, 2 done.
  const colour = new Map<string, number>();
  const kept: Agg[] = [];
  for (const s of starts) {
    if (colour.get(s)) continue;
    const stack: Array<{ node: string; i: number }> = [{ node: s, i: 0 }];
    colour.set(s, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = out.get(top.node) ?? [];
      if (top.i >= edges.length) {
        colour.set(top.node, 2);
        stack.pop();
        continue;
      }
      const e = edges[top.i++];
      const c = colour.get(e.to) ?? 0;
      if (c === 1) {
        loops.push({ from: e.from, to: e.to, amount: fromFen(e.fen), transfers: e.transfers });
      } else {
        kept.push(e);
        if (c === 0) {
          colour.set(e.to, 1);
          stack.push({ node: e.to, i: 0 });
        }
      }
    }
  }

  const heldBy = new Map<string, number>();
  for (const h of trace.held) heldBy.set(h.account, (heldBy.get(h.account) ?? 0) + toFen(h.amount));
  const exitBy = new Map<string, string>();
  for (const e of trace.exits) exitBy.set(e.account, exitBy.has(e.account) ? `${exitBy.get(e.account)},${e.kind}` : e.kind);

  let hidden = 0;
  if (kept.length > maxLinks) {
    kept.sort((x, y) => y.fen - x.fen || (x.from + x.to < y.from + y.to ? -1 : 1));
    hidden = kept.length - maxLinks;
    kept.length = maxLinks;
  }
  const used = new Set<string>();
  for (const e of kept) {
    used.add(e.from);
    used.add(e.to);
  }
  const nodes: SankeyNode[] = [...used].sort(byHop).map((a) => {
    const held = heldBy.get(a) ?? 0;
    const exit = exitBy.get(a) ?? '';
    const role: NodeRole = !incoming.has(a) ? 'victim' : exit ? 'exit' : held > 0 ? 'held' : 'mule';
    return { name: a, label: shortAccount(a), role, held: fromFen(held), exit, hop: hopOf.get(a) ?? 0 };
  });
  const links: SankeyLink[] = kept
    .sort((x, y) => x.hop - y.hop || y.fen - x.fen || (x.from + x.to < y.from + y.to ? -1 : 1))
    .map((e) => ({ source: e.from, target: e.to, value: e.fen / 100, amount: fromFen(e.fen), transfers: e.transfers }));
  loops.sort((x, y) => toFen(y.amount) - toFen(x.amount));
  return { nodes, links, loops, hidden };
}

// True when the links have no cycle (what ECharts' Sankey layout needs).
export function isAcyclic(links: Array<{ source: string; target: string }>): boolean {
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>();
  for (const l of links) {
    if (!out.has(l.source)) out.set(l.source, []);
    out.get(l.source)!.push(l.target);
    indeg.set(l.target, (indeg.get(l.target) ?? 0) + 1);
    if (!indeg.has(l.source)) indeg.set(l.source, 0);
  }
  const queue = [...indeg].filter(([, d]) => d === 0).map(([n]) => n);
  let seen = 0;
  while (queue.length) {
    const n = queue.pop()!;
    seen++;
    for (const m of out.get(n) ?? []) {
      const d = indeg.get(m)! - 1;
      indeg.set(m, d);
      if (d === 0) queue.push(m);
    }
  }
  return seen === indeg.size;
}

// The tooltip of a node or link of the diagram: account numbers come from cases and imported
// files, so every line is escaped (escape.ts).
export function sankeyTooltip(p: { dataType?: string; data: Record<string, unknown> }): string {
  const d = p.data;
  if (p.dataType === 'edge') return tooltipLines(`${d.source} → ${d.target}`, `${show(String(d.amount))} (${d.transfers})`);
  const held = String(d.held ?? '0.00');
  return tooltipLines(String(d.name),
    held !== '0.00' && `${t('trace.held')}: ${show(held)}`,
    !!d.exit && `${t('trace.exit_kind')}: ${String(d.exit).split(',').map((k) => tv('exit', k)).join(', ')}`);
}
