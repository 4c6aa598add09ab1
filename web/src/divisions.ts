// The administrative divisions of GB/T 2260 (province, prefecture-level city, county), for picking a
// region by name: the list generated from region/gbt2260.tsv (divisions.gen.ts), the table the
// server checks a case's region against. A division's parent follows from its code. Pure; tested.
import { DIVISIONS } from './divisions.gen';
import type { Lang } from './i18n';
import { provinceOf } from './provinces';

export type Level = 'province' | 'city' | 'county';
export interface Division { code: string; name: string; level: Level; parent: string }

export function levelOf(code: string): Level {
  return code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county';
}

export function parentOf(code: string): string {
  const l = levelOf(code);
  return l === 'province' ? '' : l === 'city' ? `${code.slice(0, 2)}0000` : `${code.slice(0, 4)}00`;
}

const byCode = new Map<string, Division>();
const children = new Map<string, Division[]>();
for (const line of DIVISIONS) {
  for (const item of line.split('|')) {
    const code = item.slice(0, 6);
    const d: Division = { code, name: item.slice(6), level: levelOf(code), parent: parentOf(code) };
    byCode.set(code, d);
    const list = children.get(d.parent) ?? [];
    list.push(d);
    children.set(d.parent, list);
  }
}

// The division of a code, if GB/T 2260 has it.
export function division(code: string): Division | undefined {
  return byCode.get(code.trim());
}

// The divisions directly under `code` ('' for the provinces), in code order.
export function childrenOf(code: string): Division[] {
  return children.get(code) ?? [];
}

// "名称 代码", as the pickers show a division; on an English page a province is named in English
// too ("Zhejiang 浙江省 330000"): cities and counties have only their Chinese names.
export function divisionLabel(d: Division, l: Lang = 'zh-CN'): string {
  const en = l === 'en' && d.level === 'province' ? provinceOf(d.code)?.en : undefined;
  return en ? `${en} ${d.name} ${d.code}` : `${d.name} ${d.code}`;
}

// The province, city and county codes leading to `code` (those it has), or [] for an unknown code.
export function chainOf(code: string): string[] {
  const d = division(code);
  if (!d) return [];
  const chain: string[] = [];
  for (let c: string = d.code; c; c = parentOf(c)) if (byCode.has(c)) chain.unshift(c);
  return chain;
}

// "浙江省 杭州市 西湖区" for a known code, '' otherwise (市辖区, a placeholder level, left out).
export function fullName(code: string): string {
  return chainOf(code).map((c) => byCode.get(c)!.name).filter((n) => n !== '市辖区' && !n.endsWith('直辖县级行政区划')).join(' ');
}

// A division's own name for people: a 市辖区 or 直辖县级行政区划 placeholder says nothing, so it is
// named by its province ("110100" -> 北京市). '' for a code GB/T 2260 lacks.
export function nameOf(code: string): string {
  const d = division(code);
  if (!d) return '';
  const placeholder = d.name === '市辖区' || d.name.endsWith('直辖县级行政区划');
  return placeholder ? division(d.parent)?.name ?? d.name : d.name;
}

// A region as every table shows it, code then name ("440100 广州市"): the server's name when it
// sends one, else GB/T 2260's; a code neither knows is shown alone, '' stays ''.
export function regionText(code: string | null | undefined, name = ''): string {
  const c = (code ?? '').trim();
  if (!c) return '';
  const n = name.trim() || nameOf(c);
  return n && n !== c ? `${c} ${n}` : c;
}
