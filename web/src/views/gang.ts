// Gang view (串并案): the link chart of a cluster you explore (Cytoscape.js, fCoSE layout). Cases
// and the identifiers they share are nodes; it starts from the case asked for (highlighted) and its
// identifiers, a click on a node shows its details and expands or collapses its neighbours; filters
// by evidence kind and report day redraw it. The graph itself is built by ../gang.ts.
import { api, query } from '../api';
import { onLeave } from '../charts';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { t, tf, tv } from '../i18n';
import { show } from '../money';
import { chartElements, dayRange, firstExpanded, kindsOf, linkGraph, RELATION_KINDS, toggle, visibleNodes, type LinkGraph, type LinkNode } from '../gang';
import { profileHref } from '../profile';
import { chinaDay } from '../time';
import type { Cluster, LinkAnswer } from '../types';
import type cytoscape from 'cytoscape';

const KIND_COLOUR: Record<string, string> = {
  phone: '#5470c6', account: '#ee6666', money: '#fac858', url: '#91cc75', domain: '#6e9f3c', wechat: '#3ba272', qq: '#73c0de',
  alipay: '#fc8452', device: '#9a60b4', email: '#ea7ccc', narrative: '#999999',
};
const CASE_COLOUR = '#c23531';
const colourOf = (kind: string) => KIND_COLOUR[kind] ?? '#8c8c8c';

export function gangView(root: HTMLElement, caseId: string): void {
  const caseInput = h('input', { id: 'gang-case', value: caseId });
  const out = h('div', { id: 'gang-out' });
  const form = h('form', { class: 'card row' }, h('label', {}, t('common.case'), caseInput), h('button', { type: 'submit' }, t('common.load')));
  root.append(h('h2', {}, t('gang.title')), form, out);
  let days: Promise<Map<string, string>> | null = null;
  const load = async () => {
    out.replaceChildren(h('div', { class: 'muted' }, '…'));
    const asked = caseInput.value.trim();
    try {
      const a = await api<LinkAnswer>('GET', `/api/clusters${query({ case: asked })}`);
      days ??= reportDays();
      const d = await days;
      out.replaceChildren();
      render(out, a, asked, d);
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  void load();
}

// The report day (China time) of every case in the caller's scope, for the time filter; none when
// the queue cannot be read (then the filter keeps every case).
async function reportDays(): Promise<Map<string, string>> {
  try {
    const q = await api<{ cases: Array<{ id: string; reported_at: string }> }>('GET', `/api/cases${query({ limit: '100000', sort: 'id' })}`);
    return new Map(q.cases.map((c) => [c.id, chinaDay(c.reported_at)]));
  } catch {
    return new Map();
  }
}

function render(out: HTMLElement, a: LinkAnswer, asked: string, days: Map<string, string>): void {
  if (!a.clusters.length) {
    out.append(h('div', { class: 'muted' }, t('common.none')));
  } else {
    const pick = h('select', { id: 'gang-pick' }, ...a.clusters.map((c, i) =>
      h('option', { value: String(i) }, `${c.id} · ${c.cases.length} · ${show(c.loss)}`)));
    const explorer = h('div');
    const detail = h('div');
    out.append(h('label', {}, t('gang.pick'), pick), explorer, detail);
    const draw = (c: Cluster) => {
      detail.replaceChildren(
        h('p', {}, `${t('common.cases')}: ${c.cases.join(', ')} · ${t('common.loss')}: ${show(c.loss)} · ${t('common.region')}: ${c.regions.map((r) => regionText(r)).join(', ')}`),
        h('h3', {}, `${t('gang.evidence')}: ${c.evidence.length}`),
        evidenceTable(c));
      explore(explorer, c, c.cases.includes(asked) ? asked : '', days);
    };
    pick.addEventListener('change', () => draw(a.clusters[Number(pick.value)]));
    draw(a.clusters[0]);
  }
  if (a.hubs.length) {
    out.append(h('h3', {}, t('gang.hubs')), table([t('gang.kind'), t('gang.value'), t('common.cases')], a.hubs.map((x) => [tv('evidence', x.kind), x.value, x.cases])));
  }
}

// The filters, the chart, its notes and the clicked node's details of one cluster. Without a case
// asked for, the whole gang is drawn; with one, exploring starts from it.
function explore(box: HTMLElement, c: Cluster, asked: string, days: Map<string, string>): void {
  const kinds = kindsOf(c);
  const boxes = kinds.map((k) => h('input', { type: 'checkbox', value: k, checked: true, 'data-kind': k }));
  const [first, last] = dayRange(c, days);
  const from = h('input', { id: 'gang-from', type: 'date', value: first, min: first, max: last });
  const to = h('input', { id: 'gang-to', type: 'date', value: last, min: first, max: last });
  const expandAll = h('button', { id: 'gang-expand-all', type: 'button' }, t('gang.expand_all'));
  const restart = h('button', { id: 'gang-restart', type: 'button' }, t('gang.restart'));
  const filters = h('div', { id: 'gang-filters', class: 'card row' },
    h('span', {}, t('gang.kinds')), ...kinds.map((k, i) => h('label', { class: 'check' }, boxes[i], tv('evidence', k))),
    h('label', {}, t('gang.from'), from), h('label', {}, t('gang.to'), to), expandAll, asked ? restart : null);
  const chartBox = h('div', { id: 'gang-chart', class: 'chart tall' });
  const notes = h('p', { id: 'gang-notes', class: 'muted' });
  const node = h('div', { id: 'gang-node' });
  box.replaceChildren(filters, h('p', { class: 'muted' }, t('gang.hint')), chartBox, notes, node);

  let graph: LinkGraph = linkGraph(c, { kinds: null, from: first, to: last }, days, asked);
  const focusOf = (g: LinkGraph) => (asked && g.nodes.has(asked) ? asked : busiest(g));
  let expanded: Set<string> | 'all' = asked ? firstExpanded(graph, asked) : 'all';
  const redraw = (around?: string) => {
    const focus = focusOf(graph);
    const { ids, leftOut } = visibleNodes(graph, focus, expanded);
    const el = chartElements(graph, ids, asked);
    const cases = el.nodes.filter((n) => n.data.type === 'case').length;
    notes.replaceChildren(
      tf('gang.shown', { nodes: el.nodes.length, cases, ids: el.nodes.length - cases }),
      ...(leftOut ? [' · ', tf('gang.left_out', { n: leftOut })] : []),
      ...(graph.collapsed ? [' · ', tf('gang.collapsed', { n: graph.collapsed })] : []));
    Object.assign(chartBox.dataset, { nodes: String(el.nodes.length), cases: String(cases), identifiers: String(el.nodes.length - cases), leftOut: String(leftOut) });
    void drawChart(chartBox, el, graph, around, (ms) => {
      chartBox.dataset.layoutMs = String(ms);
      notes.append(' · ', tf('gang.layout_ms', { ms }));
    }, (id) => {
      node.replaceChildren(nodeDetails(graph, graph.nodes.get(id)!));
      if (expanded !== 'all') {
        expanded = toggle(expanded, id);
        redraw(id);
      }
    });
  };
  const refilter = () => {
    const keep = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    graph = linkGraph(c, { kinds: keep.size === kinds.length ? null : keep, from: from.value, to: to.value }, days, asked);
    if (expanded !== 'all') expanded = new Set([...expanded].filter((id) => graph.nodes.has(id)));
    if (expanded !== 'all' && !expanded.size) expanded = firstExpanded(graph, focusOf(graph));
    node.replaceChildren();
    redraw();
  };
  for (const b of [...boxes, from, to]) b.addEventListener('change', refilter);
  expandAll.addEventListener('click', () => { expanded = 'all'; redraw(); });
  restart.addEventListener('click', () => { expanded = firstExpanded(graph, focusOf(graph)); redraw(); });
  redraw();
}

// The case with the most neighbours: where a gang without a case asked for is drawn from.
function busiest(g: LinkGraph): string {
  let best = '';
  let most = -1;
  for (const n of g.nodes.values()) {
    const d = g.neighbours.get(n.id)?.length ?? 0;
    if (n.type === 'case' && d > most) [best, most] = [n.id, d];
  }
  return best;
}

const caseLink = (id: string) => h('a', { href: `#/trace/${encodeURIComponent(id)}`, class: 'case-link' }, id);

// A clicked node: a case with its report day, its shared identifiers and the cases linked to it;
// an identifier with its kind, the cases naming it and its profile.
function nodeDetails(g: LinkGraph, n: LinkNode): HTMLElement {
  const near = (g.neighbours.get(n.id) ?? []).map((id) => g.nodes.get(id)!);
  if (n.type === 'case') {
    const ids = near.filter((x) => x.type === 'identifier');
    const cases = [...new Set(near.filter((x) => x.type === 'case').map((x) => x.id))];
    return h('div', { class: 'card', 'data-type': 'case' },
      h('h3', {}, `${t('common.case')} `, caseLink(n.id)),
      n.day ? h('p', {}, `${t('gang.reported')}: ${n.day}`) : null,
      h('p', {}, h('a', { href: `#/trace/${encodeURIComponent(n.id)}`, id: 'gang-node-open' }, t('gang.open_case'))),
      ids.length ? h('div', {}, h('h4', {}, t('gang.node_ids')), table([t('gang.kind'), t('gang.value')],
        ids.map((x) => [tv('evidence', x.kind), h('a', { href: profileHref(x.kind, x.value) }, x.value)]))) : null,
      cases.length ? h('p', {}, `${t('gang.node_links')}: `, ...cases.flatMap((id, i) => [i ? ', ' : '', caseLink(id)])) : null);
  }
  return h('div', { class: 'card', 'data-type': 'identifier' },
    h('h3', {}, `${tv('evidence', n.kind)} `, h('span', {}, n.value)),
    h('p', {}, h('a', { href: profileHref(n.kind, n.value), id: 'gang-node-open' }, t('gang.open_profile'))),
    h('p', {}, `${t('gang.node_cases')}: `, ...n.cases.flatMap((id, i) => [i ? ', ' : '', caseLink(id)])));
}

function evidenceTable(c: Cluster): HTMLElement {
  const strongest = [...c.evidence].sort((a, b) => b.weight - a.weight);
  const rows = (list: typeof strongest) => list.map((e) => [tv('evidence', e.kind), e.value, e.cases.join(', '), e.weight.toFixed(2)]);
  const head = [t('gang.kind'), t('gang.value'), t('common.cases'), t('gang.weight')];
  const box = h('div', {}, table(head, rows(strongest.slice(0, 30)), { id: 'gang-evidence' }));
  if (strongest.length > 30) {
    box.append(h('button', { onclick: () => box.replaceChildren(table(head, rows(strongest), { id: 'gang-evidence' })) }, t('gang.show_all')));
  }
  return box;
}

// The chart on screen: its layout is stopped and its instance destroyed when another cluster is
// drawn or the page is left, so nothing of it runs on a container that is gone.
let teardown: (() => void) | null = null;

function dropChart(): void {
  teardown?.();
  teardown = null;
}

// Cytoscape adds a <style> element with one rule for its containers (position: relative) unless
// an element of this id exists. The page's Content-Security-Policy refuses inline styles, so the
// rule is in style.css and this marker stands in for the element.
const CYTOSCAPE_STYLESHEET = '__________cytoscape_stylesheet';

let library: Promise<typeof cytoscape> | null = null;

// Cytoscape with the fCoSE layout registered, loaded once.
function loadLibrary(): Promise<typeof cytoscape> {
  library ??= Promise.all([import('cytoscape'), import('cytoscape-fcose')]).then(([{ default: cy }, { default: fcose }]) => {
    cy.use(fcose);
    return cy;
  });
  return library;
}

type Elements = ReturnType<typeof chartElements>;
type DataOf = { data: (k: string) => unknown };

// Draws the elements, keeping where the nodes already drawn were (new ones start at the node
// clicked), laid out by fCoSE: an identifier sits close to its cases, cases further apart.
async function drawChart(box: HTMLElement, el: Elements, g: LinkGraph, around: string | undefined,
  laidOut: (ms: number) => void, clicked: (id: string) => void): Promise<void> {
  const previous = (box as unknown as { cy?: cytoscape.Core }).cy;
  const positions = new Map<string, cytoscape.Position>();
  if (previous && !previous.destroyed()) previous.nodes().forEach((n) => { positions.set(n.id(), { ...n.position() }); });
  const cy = await loadLibrary();
  if (!box.isConnected) return; // the page was left while the library loaded
  if (!document.getElementById(CYTOSCAPE_STYLESHEET)) {
    document.head.append(h('meta', { id: CYTOSCAPE_STYLESHEET, name: 'cytoscape-style', content: 'style.css' }));
  }
  dropChart();
  box.replaceChildren();
  const start = around ? positions.get(around) : undefined;
  const placed = el.nodes.map((n) => {
    const p = positions.get(n.data.id) ?? (start ? { x: start.x + Math.random() * 40 - 20, y: start.y + Math.random() * 40 - 20 } : undefined);
    return p ? { ...n, position: p } : n;
  });
  const keepPlaces = positions.size > 0 && el.nodes.some((n) => positions.has(n.data.id));
  const graph = cy({
    container: box,
    elements: [...placed, ...el.edges],
    layout: { name: 'preset' }, // placed by the layout below, whose handle is kept to stop it
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 9, color: '#333', 'text-valign': 'bottom', 'text-margin-y': 3 } },
      { selector: 'node[type="case"]', style: { 'background-color': CASE_COLOUR, width: 18, height: 18 } },
      { selector: 'node[type="identifier"]', style: { shape: 'round-rectangle', width: 12, height: 12, 'font-size': 8, color: '#555',
        'min-zoomed-font-size': 6,
        'background-color': (n: DataOf) => colourOf(String(n.data('kind'))) } },
      { selector: 'node[more > 0]', style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': '#555' } },
      { selector: 'node[?asked]', style: { width: 30, height: 30, 'border-width': 4, 'border-style': 'solid', 'border-color': '#fac858',
        'font-size': 12, 'font-weight': 'bold', color: '#000', 'z-index': 10 } },
      { selector: 'node:selected', style: { 'overlay-color': '#5470c6', 'overlay-opacity': 0.25, 'overlay-padding': 4 } },
      { selector: 'edge', style: {
        width: 'mapData(weight, 0, 1, 0.5, 4)' as unknown as number,
        'line-color': (e: DataOf) => colourOf(String(e.data('kind'))),
        'curve-style': 'haystack', opacity: 0.6,
      } },
      { selector: 'edge[kind="narrative"], edge[kind="money"]', style: { 'line-style': 'dashed', 'curve-style': 'straight' } },
    ],
  });
  (box as unknown as { cy?: cytoscape.Core }).cy = graph;
  const relation = (e: cytoscape.EdgeSingular) => g.nodes.get(e.source().id())?.type === 'case' && g.nodes.get(e.target().id())?.type === 'case';
  const layout = graph.layout({
    name: 'fcose', quality: 'default', animate: false, randomize: !keepPlaces, fit: true, padding: 30,
    nodeRepulsion: () => 12000, nodeSeparation: 60, packComponents: true,
    idealEdgeLength: (e: cytoscape.EdgeSingular) => (relation(e) ? 150 : 45),
    edgeElasticity: (e: cytoscape.EdgeSingular) => (relation(e) ? 0.1 : 0.6),
  } as unknown as cytoscape.LayoutOptions);
  const mine = () => {
    layout.stop();
    graph.destroy();
  };
  teardown = mine;
  onLeave(() => {
    if (teardown === mine) dropChart();
  });
  const t0 = performance.now();
  layout.one('layoutstop', () => laidOut(Math.round(performance.now() - t0)));
  layout.run();
  graph.on('mouseover', 'edge', (ev) => ev.target.style('label', (ev.target.data('kinds') as string[]).map((k) => tv('evidence', k)).join(' · ')));
  graph.on('mouseout', 'edge', (ev) => ev.target.style('label', ''));
  graph.on('tap', 'node', (ev) => clicked(ev.target.id() as string));
  if (around && graph.$id(around).nonempty()) graph.$id(around).select();
  box.append(legend(el));
}

// The legend in the page's language: cases, the asked case, each kind of identifier drawn and the
// links between cases.
function legend(el: Elements): HTMLElement {
  const key = (text: string, colour: string, mark = '■') => {
    const k = h('span', {}, `${mark} ${text}`);
    k.style.color = colour;  // a property, not a style attribute: the page's policy allows no inline style
    return k;
  };
  const ids = [...new Set(el.nodes.filter((n) => n.data.type === 'identifier').map((n) => n.data.kind))];
  const relations = [...new Set(el.edges.flatMap((e) => e.data.kinds).filter((k) => RELATION_KINDS.has(k) || !ids.includes(k)))];
  return h('div', { class: 'legend', id: 'gang-legend' },
    key(t('gang.legend_case'), CASE_COLOUR, '●'),
    el.nodes.some((n) => n.data.asked) ? key(t('gang.legend_asked'), '#d4a017', '◉') : null,
    ...ids.map((k) => key(tv('evidence', k), colourOf(k))),
    ...(relations.length ? [h('span', {}, `${t('gang.legend_relation')}:`), ...relations.map((k) => key(tv('evidence', k), colourOf(k), '┄'))] : []));
}
