import { describe, expect, it } from 'vitest';
import { tooltipLines } from '../src/escape';
import { sankeyTooltip } from '../src/sankey';

// An account number as an attacker posts it in a case or a transfers.csv (upper-cased by the
// server's normalisation, so its script is written with character references).
const MARKUP = '<IMG/SRC="X"/ONERROR=&#119;&#105;&#110;&#100;&#111;&#119;&#46;&#95;&#95;&#120;&#115;&#115;&#61;&#49;>';

describe('tooltipLines', () => {
  it('joins lines as text and leaves out empty ones', () => {
    expect(tooltipLines('a<b', false, '', null, 'c')).toBe('a<b\nc');
    expect(tooltipLines('{b|x}')).toBe('｛b|x｝');
  });
});

describe('sankeyTooltip', () => {
  it('shows a node named with markup as its own text', () => {
    const text = sankeyTooltip({ dataType: 'node', data: { name: MARKUP, held: '15.00', exit: '' } });
    expect(text.split('\n')[0]).toBe(MARKUP);
  });
  it('shows a link between such accounts as their text', () => {
    const text = sankeyTooltip({ dataType: 'edge', data: { source: MARKUP, target: '<script>x</script>', amount: '1500.00', transfers: 1 } });
    expect(text.split('\n')[0]).toBe(`${MARKUP} → <script>x</script>`);
  });
});

describe('the page', () => {
  const raw = import.meta.glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  // The code without its comments (which may name what the code must not do).
  const sources = Object.fromEntries(Object.entries(raw).map(([f, t]) => [f, t.replace(/^\s*\/\/.*$/gm, '')]));
  it('never writes HTML from strings and keeps no session in storage', () => {
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(text, file).not.toMatch(/sessionStorage/);
      if (!file.endsWith('/i18n.ts')) expect(text, file).not.toMatch(/localStorage/);  // the language only
    }
  });
  it('draws every tooltip as canvas text, never HTML', () => {
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/tooltip:([^\n]*)/g)) {
        expect(m[1], `${file}: ${m[0]}`).toMatch(/^\s*tooltip\(/);
      }
    }
  });
});
