// What the browser test reads in a page's text for its language (e2e.mjs): the English words a
// zh-CN page shows, and the Chinese of the catalog (web/src/i18n.ts) an English page shows.
import fs from 'node:fs';

// Latin words a zh-CN page may show besides ids and codes. Keep it short: a word belongs here only
// when Chinese users read it as it is.
const ALLOWED = new Set([
  'fanzha',   // the product's name (反诈 fanzha)
  'English',  // the language switch names the language it switches to
  'API', 'CSV', 'PDF', 'URL', 'QQ', 'ID', 'IP', 'SHA', 'STIX',  // acronyms written so in Chinese too
]);

// The English words in a zh-CN page's text (document.body.innerText), each once. Taken out first:
// URLs, e-mail addresses, a `fanzha ...` command line (code), a national standard's number (GB/T
// 2260, a code too), the strings in `data` (what the test itself stored, such as the user's name),
// then every token with a digit in it (ids, codes, numbers, money, times, account numbers) or a dot
// inside a word (domain and file names).
export function englishWords(text, data = []) {
  let s = text;
  for (const d of data) s = s.split(d).join(' ');
  s = s.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\bfanzha(?: +--?[a-z][\w-]*| +[a-z][\w-]*)+/g, ' ')
    .replace(/\bGB(?:\/[TZ])? ?\d+(?:[.-]\d+)*/g, ' ');  // a national standard's number (GB/T 2260): a code
  const words = new Set();
  // Tokens end at white space and at Chinese punctuation (CJK symbols and full-width forms).
  for (const token of s.split(/[\s\u3000-\u303f\uff00-\uffef·•…—–,;()[\]]+/)) {
    if (/\d/.test(token) || /[A-Za-z]\.[A-Za-z]/.test(token)) continue;
    for (const w of token.match(/[A-Za-z]+/g) ?? []) if (!ALLOWED.has(w)) words.add(w);
  }
  return [...words];
}

// The zh-CN labels of the catalog that have an English label of their own, as the page shows them:
// a template's text between its {placeholders}; pieces of fewer than three characters are left
// out, as too short to tell from Chinese data (names, institutions).
export function catalogChinese(i18nFile) {
  const src = fs.readFileSync(i18nFile, 'utf8');
  const block = (name) => {
    const from = src.indexOf(`  ${name}: {`);
    const body = src.slice(from, src.indexOf('\n  },', from));
    return new Map([...body.matchAll(/^\s+'([\w.]+)': (['"])(.*)\2,$/gm)].map((m) => [m[1], m[3]]));
  };
  const zh = block("'zh-CN'");
  const en = block('en');
  const pieces = new Set();
  for (const [key, value] of zh) {
    if (!en.has(key) || en.get(key) === value) continue;
    for (const p of value.split(/\{\w+\}/)) if (/\p{Script=Han}/u.test(p) && p.trim().length >= 3) pieces.add(p.trim());
  }
  return [...pieces];
}
