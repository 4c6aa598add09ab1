// Provinces on a tile grid map: each province-level division one square at its approximate place
// (column, row from the top). No boundary data is shipped or fetched. Pure; tested.
import type { Lead } from './types';

export interface Province { code: string; zh: string; en: string; x: number; y: number }

export const PROVINCES: Province[] = [
  { code: '23', zh: '黑龙江', en: 'Heilongjiang', x: 9, y: 0 },
  { code: '15', zh: '内蒙古', en: 'Inner Mongolia', x: 6, y: 1 },
  { code: '22', zh: '吉林', en: 'Jilin', x: 9, y: 1 },
  { code: '65', zh: '新疆', en: 'Xinjiang', x: 1, y: 2 },
  { code: '62', zh: '甘肃', en: 'Gansu', x: 3, y: 2 },
  { code: '64', zh: '宁夏', en: 'Ningxia', x: 4, y: 2 },
  { code: '11', zh: '北京', en: 'Beijing', x: 6, y: 2 },
  { code: '12', zh: '天津', en: 'Tianjin', x: 7, y: 2 },
  { code: '21', zh: '辽宁', en: 'Liaoning', x: 8, y: 2 },
  { code: '54', zh: '西藏', en: 'Tibet', x: 1, y: 3 },
  { code: '63', zh: '青海', en: 'Qinghai', x: 2, y: 3 },
  { code: '61', zh: '陕西', en: 'Shaanxi', x: 4, y: 3 },
  { code: '14', zh: '山西', en: 'Shanxi', x: 5, y: 3 },
  { code: '13', zh: '河北', en: 'Hebei', x: 6, y: 3 },
  { code: '37', zh: '山东', en: 'Shandong', x: 7, y: 3 },
  { code: '51', zh: '四川', en: 'Sichuan', x: 3, y: 4 },
  { code: '50', zh: '重庆', en: 'Chongqing', x: 4, y: 4 },
  { code: '41', zh: '河南', en: 'Henan', x: 5, y: 4 },
  { code: '34', zh: '安徽', en: 'Anhui', x: 6, y: 4 },
  { code: '32', zh: '江苏', en: 'Jiangsu', x: 7, y: 4 },
  { code: '31', zh: '上海', en: 'Shanghai', x: 8, y: 4 },
  { code: '53', zh: '云南', en: 'Yunnan', x: 2, y: 5 },
  { code: '52', zh: '贵州', en: 'Guizhou', x: 3, y: 5 },
  { code: '43', zh: '湖南', en: 'Hunan', x: 4, y: 5 },
  { code: '42', zh: '湖北', en: 'Hubei', x: 5, y: 5 },
  { code: '36', zh: '江西', en: 'Jiangxi', x: 6, y: 5 },
  { code: '33', zh: '浙江', en: 'Zhejiang', x: 7, y: 5 },
  { code: '45', zh: '广西', en: 'Guangxi', x: 3, y: 6 },
  { code: '44', zh: '广东', en: 'Guangdong', x: 5, y: 6 },
  { code: '35', zh: '福建', en: 'Fujian', x: 6, y: 6 },
  { code: '71', zh: '台湾', en: 'Taiwan', x: 8, y: 6 },
  { code: '46', zh: '海南', en: 'Hainan', x: 3, y: 7 },
  { code: '82', zh: '澳门', en: 'Macao', x: 4, y: 7 },
  { code: '81', zh: '香港', en: 'Hong Kong', x: 5, y: 7 },
];

export function provinceOf(regionCode: string): Province | undefined {
  const p = regionCode.slice(0, 2);
  return PROVINCES.find((x) => x.code === p);
}

// The province a feature of a deployer's GeoJSON map stands for: by its `adcode` (110000) or, failing
// that, by a `name` that starts with the province's short name (北京市, 内蒙古自治区).
export function provinceOfFeature(props: { adcode?: number | string; name?: string } | null | undefined): Province | undefined {
  if (!props) return undefined;
  if (props.adcode !== undefined && props.adcode !== null) {
    const byCode = provinceOf(String(props.adcode));
    if (byCode) return byCode;
  }
  const name = props.name ?? '';
  return name ? PROVINCES.find((p) => name.startsWith(p.zh)) : undefined;
}

export interface ProvinceCount { province: Province; leads: number; overdue: number }

// Leads per province of their jurisdiction; every province appears (0 when none).
export function leadsByProvince(leads: Lead[]): ProvinceCount[] {
  const counts = new Map<string, ProvinceCount>(PROVINCES.map((p) => [p.code, { province: p, leads: 0, overdue: 0 }]));
  for (const l of leads) {
    const code = l.jurisdiction || l.jurisdiction_detail?.code || '';
    const p = provinceOf(code);
    if (!p) continue;
    const c = counts.get(p.code)!;
    c.leads++;
    if (l.overdue) c.overdue++;
  }
  return [...counts.values()];
}

export interface BatchRow { label: string; jurisdiction: string; leads: number; overdue: number; pushed_at: string }

// Batches as the leads name them (label "450200-0003"), newest first.
export function batchesOf(leads: Lead[]): BatchRow[] {
  const m = new Map<string, BatchRow>();
  for (const l of leads) {
    const label = l.batch_label || String(l.batch);
    let b = m.get(label);
    if (!b) {
      b = { label, jurisdiction: l.jurisdiction, leads: 0, overdue: 0, pushed_at: l.pushed_at };
      m.set(label, b);
    }
    b.leads++;
    if (l.overdue) b.overdue++;
    if (l.pushed_at > b.pushed_at) b.pushed_at = l.pushed_at;
  }
  return [...m.values()].sort((a, b) => (a.pushed_at < b.pushed_at ? 1 : a.pushed_at > b.pushed_at ? -1 : a.label < b.label ? -1 : 1));
}
