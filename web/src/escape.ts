// Text from data, where the browser could read it as markup. Pure; tested by test/escape.test.ts.
//
// ECharts' tooltips are drawn on the chart's canvas as rich text (charts.ts tooltip()), never as
// HTML, so what a formatter answers is shown as text: an account number such as
// `<img src=x onerror=...>` from a posted case or an imported transfers.csv cannot run. Cytoscape
// draws on its canvas; the DOM builder h() (dom.ts) sets text and attributes, never HTML. Nothing
// in src/ assigns innerHTML.

// Lines of a canvas tooltip, one per line; empty and false lines are left out. Rich text reads
// `{name|text}` as a style: braces from data are replaced by their full-width forms so that no
// data styles itself.
export function tooltipLines(...lines: Array<string | number | false | null | undefined>): string {
  return lines.filter((l) => l !== false && l !== null && l !== undefined && l !== '')
    .map((l) => String(l).replace(/\{/g, '｛').replace(/\}/g, '｝')).join('\n');
}
