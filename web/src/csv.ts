// Tables as CSV files for Excel (导出 CSV): RFC 4180 (fields with a comma, quote or line break
// quoted, quotes doubled, lines ending CRLF) after a UTF-8 byte order mark, without which Excel
// reads the Chinese as another code page. The writer is pure and tested by test/csv.test.ts.
//
// Formula injection: a spreadsheet runs a field that starts with = + - @ (and, in some, with a tab
// or carriage return) as a formula, and much of what is exported is typed by someone else (a
// holder's name, a reason, a URL from a victim's report). Such a field is written after a single
// quote, which the spreadsheet shows as text. Numbers pass through the same rule: a negative
// amount is exported as text, which loses nothing.
import { h } from './dom';
import { t } from './i18n';
import { chinaDay } from './time';

export type CsvCell = string | number | boolean | null | undefined;

export const BOM = '\uFEFF';

export function csvField(v: CsvCell): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The file's text: the mark, the header line, a line per row.
export function csvText(header: string[], rows: CsvCell[][]): string {
  return BOM + [header, ...rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

// "orders-2026-03-01.csv": what it holds and the day in China.
export function csvFileName(what: string, now: Date = new Date()): string {
  return `${what}-${chinaDay(now)}.csv`;
}

// A button that saves the table as `<what>-<date>.csv`; header and rows are read when it is pressed,
// in the page's language.
export function csvButton(what: string, header: () => string[], rows: () => CsvCell[][]): HTMLButtonElement {
  return h('button', { type: 'button', class: 'csv-export no-print', 'data-csv': what, onclick: () => saveCsv(what, header(), rows()) },
    t('csv.export'));
}

// Saves `<what>-<date>.csv` now (for a button that first fetches its rows).
export function saveCsv(what: string, header: string[], rows: CsvCell[][]): void {
  const url = URL.createObjectURL(new Blob([csvText(header, rows)], { type: 'text/csv;charset=utf-8' }));
  h('a', { href: url, download: csvFileName(what) }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
