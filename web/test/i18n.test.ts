import { describe, expect, it } from 'vitest';
import { messages } from '../src/i18n';
import { CATEGORIES } from '../src/views/report';

const spec = Object.values(import.meta.glob('../../docs/spec/FORMATS.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];
const sources = import.meta.glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('i18n', () => {
  const zh = Object.keys(messages['zh-CN']).sort();
  const en = Object.keys(messages.en).sort();
  it('has every label in both languages', () => {
    expect(en).toEqual(zh);
    for (const l of ['zh-CN', 'en'] as const) {
      for (const [k, v] of Object.entries(messages[l])) expect(v.trim(), `${l} ${k}`).not.toBe('');
    }
  });
  it('has Chinese labels in Chinese', () => {
    const han = /[\u4e00-\u9fff]/;
    for (const [k, v] of Object.entries(messages['zh-CN'])) {
      // The switch names English in English; a notice opens with its addressee's name alone.
      if (k === 'lang.switch' || k === 'notice.to' || /^evidence\.(qq)$/.test(k)) continue;
      expect(han.test(v), k).toBe(true);
    }
  });
  it('names only known keys in the sources', () => {
    const known = new Set(zh);
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\btf?\('([a-z_]+\.[a-z_]+)'[,)]/g)) used.add(m[1]);
      for (const m of text.matchAll(/label: '([a-z_]+\.[a-z_]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const k of used) expect(known.has(k), k).toBe(true);
  });
  it('covers the values the server sends', () => {
    const known = new Set(zh);
    for (const p of ['fifo', 'lifo', 'haircut', 'poison']) expect(known.has(`policy.${p}`)).toBe(true);
    for (const s of ['planned', 'sent', 'executed', 'rejected', 'expired', 'released', 'returned']) expect(known.has(`status.${s}`)).toBe(true);
    for (const r of ['centre', 'investigator', 'bank', 'hotline', 'auditor']) expect(known.has(`role.${r}`)).toBe(true);
    for (const o of ['reached', 'dissuaded', 'already_paid', 'not_reached']) expect(known.has(`outcome.${o}`)).toBe(true);
    for (const s of ['requested', 'sent', 'blocked', 'refused']) expect(known.has(`tdstate.${s}`)).toBe(true);
    for (const k of ['stop_payment', 'freeze', 'release']) expect(known.has(`kind.${k}`)).toBe(true);
  });
  it('names every fraud type of FORMATS.md, in its order', () => {
    const known = new Set(zh);
    const bullet = spec.slice(spec.indexOf('- `category`'), spec.indexOf('- Narratives'));
    const listed = [...bullet.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((k) => k !== 'category');
    expect(listed).toContain('impersonation_acquaintance');
    expect(CATEGORIES).toEqual(listed);
    for (const c of CATEGORIES) expect(known.has(`category.${c}`), c).toBe(true);
  });
});
