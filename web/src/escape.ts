// Text from data, where the browser parses HTML. Pure; tested by test/escape.test.ts.
//
// ECharts draws labels on its canvas (as text, never markup), but builds its tooltips as HTML: what
// a tooltip formatter answers is inserted as markup. So every formatter builds its answer with
// tooltipLines() (or escapeHtml()), never by pasting data into markup: an account number such as
// `<img src=x onerror=...>` from a posted case or an imported transfers.csv shows as text. ECharts'
// own default tooltips escape their names and values; Cytoscape draws on its canvas; the DOM
// builder h() (dom.ts) sets text and attributes, never HTML. Nothing in src/ assigns innerHTML.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

// `value` as text that HTML shows literally, in element content and in quoted attributes.
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

// Lines of text (from data or not) as tooltip HTML: each escaped, one per line; empty and false
// lines are left out.
export function tooltipLines(...lines: Array<string | number | false | null | undefined>): string {
  return lines.filter((l) => l !== false && l !== null && l !== undefined && l !== '').map(escapeHtml).join('<br/>');
}
