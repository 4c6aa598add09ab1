// The statistics page's figures (GET /api/stats/breakdown and /api/stats/daily): city rows summed
// per province for the tile map, and the daily report in words in either language. Pure; tested.
import { t, type Key, type Lang } from './i18n';
import { show, toFen } from './money';
import { PROVINCES, provinceOf, type Province } from './provinces';
import type { DailyFigures, FigureRow } from './types';

export interface ProvinceFigures { province: Province; cases: number; loss: number }

// Yuan as a number, for chart axes (sums stay in fen until here).
export function yuan(s: string): number {
  return toFen(s || '0') / 100;
}

// City rows summed per province; every province appears (0 when none); a key of no province
// ("unknown") is left out.
export function byProvince(rows: FigureRow[]): ProvinceFigures[] {
  const fen = new Map<string, { cases: number; fen: number }>(PROVINCES.map((p) => [p.code, { cases: 0, fen: 0 }]));
  for (const r of rows) {
    const p = provinceOf(r.key);
    if (!p) continue;
    const f = fen.get(p.code)!;
    f.cases += r.cases;
    f.fen += toFen(r.loss || '0');
  }
  return PROVINCES.map((p) => ({ province: p, cases: fen.get(p.code)!.cases, loss: fen.get(p.code)!.fen / 100 }));
}

const MONEY: ReadonlyArray<keyof FigureRow> = ['loss', 'frozen', 'returned'];

// A template's {field} filled from a row: money for people ("1,700,000.00"), counts as they are.
function fill(template: string, row: FigureRow, day: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (k === 'day') return day;
    const v = row[k as keyof FigureRow];
    return MONEY.includes(k as keyof FigureRow) ? show(String(v ?? '0')) : String(v ?? 0);
  });
}

// The daily report in two sentences: the day's figures, then the totals to it.
export function dailyText(d: DailyFigures, l: Lang): string {
  const line = (key: Key, row: FigureRow) => fill(t(key, l), row, d.day);
  return `${line('daily.day', d.figures)} ${line('daily.to_date', d.to_date)}`;
}
