// Gang view (串并案): the link chart of a cluster with its evidence (Cytoscape.js).
import { api, query } from '../api';
import { onLeave } from '../charts';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import { show } from '../money';
import { clusterElements } from '../gang';
import type { Cluster, LinkAnswer } from '../types';
import type cytoscape from 'cytoscape';

const KIND_COLOUR: Record<string, string> = {
  phone: '#5470c6', account: '#ee6666', money: '#fac858', url: '#91cc75', wechat: '#3ba272', qq: '#73c0de',
  alipay: '#fc8452', device: '#9a60b4', email: '#ea7ccc', narrative: '#999999',
};

export function gangView(root: HTMLElement, caseId: string): void {
  const caseInput = h('input', { id: 'gang-case', value: caseId });
  const out = h('div', { id: 'gang-out' });
  const form = h('form', { class: 'card row' }, h('label', {}, t('common.case'), caseInput), h('button', { type: 'submit' }, t('common.load')));
  root.append(h('h2', {}, t('gang.title')), form, out);
  const load = async () => {
    out.replaceChildren(h('div', { class: 'muted' }, '…'));
    try {
      const a = await api<LinkAnswer>('GET', `/api/clusters${query({ case: caseInput.value.trim() })}`);
      out.replaceChildren();
      render(out, a);
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  void load();
}

function render(out: HTMLElement, a: LinkAnswer): void {
  if (!a.clusters.length) {
    out.append(h('div', { class: 'muted' }, t('common.none')));
  } else {
    const pick = h('select', { id: 'gang-pick' }, ...a.clusters.map((c, i) =>
      h('option', { value: String(i) }, `${c.id} · ${c.cases.length} · ${show(c.loss)}`)));
    const chartBox = h('div', { id: 'gang-chart', class: 'chart tall' });
    const detail = h('div');
    out.append(h('label', {}, t('gang.pick'), pick), chartBox, detail);
    const draw = (c: Cluster) => {
      detail.replaceChildren(
        h('p', {}, `${t('common.cases')}: ${c.cases.join(', ')} · ${t('common.loss')}: ${show(c.loss)} · ${t('common.region')}: ${c.regions.join(', ')}`),
        h('h3', {}, `${t('gang.evidence')}: ${c.evidence.length}`),
        evidenceTable(c));
      void drawChart(chartBox, c);
    };
    pick.addEventListener('change', () => draw(a.clusters[Number(pick.value)]));
    draw(a.clusters[0]);
  }
  if (a.hubs.length) {
    out.append(h('h3', {}, t('gang.hubs')), table([t('gang.kind'), t('gang.value'), t('common.cases')], a.hubs.map((x) => [tv('evidence', x.kind), x.value, x.cases])));
  }
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

async function drawChart(box: HTMLElement, c: Cluster): Promise<void> {
  const { default: cy } = await import('cytoscape');
  if (!box.isConnected) return; // the page was left while the library loaded
  if (!document.getElementById(CYTOSCAPE_STYLESHEET)) {
    document.head.append(h('meta', { id: CYTOSCAPE_STYLESHEET, name: 'cytoscape-style', content: 'style.css' }));
  }
  dropChart();
  box.replaceChildren();
  const el = clusterElements(c);
  const graph = cy({
    container: box,
    elements: [...el.nodes, ...el.edges],
    layout: { name: 'preset' }, // placed by the layout below, whose handle is kept to stop it
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 9, color: '#333', 'text-valign': 'bottom', 'text-margin-y': 3,
        'background-color': '#c23531', width: 'mapData(degree, 0, 20, 12, 30)' as unknown as number, height: 'mapData(degree, 0, 20, 12, 30)' as unknown as number } },
      { selector: 'edge', style: {
        width: 'mapData(weight, 0, 1, 0.5, 5)' as unknown as number,
        'line-color': (e: { data: (k: string) => string }) => KIND_COLOUR[e.data('kind')] ?? '#aaa',
        'curve-style': 'haystack', opacity: 0.55,
      } },
    ],
  });
  const layout = graph.layout(el.nodes.length > 80 ? { name: 'circle' }
    : { name: 'cose', animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 90, padding: 20 } as cytoscape.LayoutOptions);
  const mine = () => {
    layout.stop();
    graph.destroy();
  };
  teardown = mine;
  onLeave(() => {
    if (teardown === mine) dropChart();
  });
  layout.run();
  graph.on('mouseover', 'edge', (ev) => ev.target.style('label', (ev.target.data('kinds') as string[]).map((k) => tv('evidence', k)).join(' · ')));
  graph.on('mouseout', 'edge', (ev) => ev.target.style('label', ''));
  box.append(h('div', { class: 'legend' }, ...Object.entries(KIND_COLOUR).map(([k, colour]) => {
    const key = h('span', {}, `■ ${tv('evidence', k)}`);
    key.style.color = colour;  // a property, not a style attribute: the page's policy allows no inline style
    return key;
  })));
}
