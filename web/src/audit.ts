// The audit log's page (审计日志, for the auditor): its address, the filters done on the loaded page,
// the previous page and what verification says. GET /api/audit answers the entries oldest first
// after an id, so pages go forward from an id and back by ids. Pure; tested by test/audit.test.ts.
import { t, tf, tv, type Lang } from './i18n';
import type { components } from './api.gen';
import type { Answer } from './types';

export type AuditEntry = components['schemas']['AuditEntry'];
export interface AuditPage { after: number; limit: number }
export interface AuditFilter { action: string; user: string; text: string }
export type AuditVerify = Answer<'/api/audit/verify'>;

export const AUDIT_PAGE_SIZES = [50, 100, 200];
export const AUDIT_PAGE_SIZE = 100;

// "after=100&limit=50" with the defaults left out ('' for the first page of 100).
export function auditToHash(p: AuditPage): string {
  const q = new URLSearchParams();
  if (p.after > 0) q.set('after', String(p.after));
  if (p.limit !== AUDIT_PAGE_SIZE) q.set('limit', String(p.limit));
  return q.toString();
}

export function auditFromHash(s: string): AuditPage {
  const q = new URLSearchParams(s);
  const after = Math.max(0, Math.floor(Number(q.get('after') ?? 0)) || 0);
  const limit = Number(q.get('limit'));
  return { after, limit: AUDIT_PAGE_SIZES.includes(limit) ? limit : AUDIT_PAGE_SIZE };
}

// The page before one whose first entry is `firstId`: ids are given one by one, so it starts after
// firstId - 1 - limit (never before the first entry).
export function prevAfter(firstId: number, limit: number): number {
  return Math.max(0, firstId - 1 - limit);
}

// The entries of the page that pass the filter: the action and the user exactly, the text anywhere
// in the target, the detail or the reason (case-insensitive).
export function filterAudit(entries: AuditEntry[], f: AuditFilter): AuditEntry[] {
  const text = f.text.trim().toLowerCase();
  return entries.filter((e) => (!f.action || e.action === f.action) && (!f.user || e.user === f.user) &&
    (!text || [e.target, e.detail, e.reason].some((x) => (x ?? '').toLowerCase().includes(text))));
}

// The distinct values of a field on the page, sorted, for the filter's choices.
export function distinct(entries: AuditEntry[], field: 'action' | 'user'): string[] {
  return [...new Set(entries.map((e) => e[field] ?? '').filter(Boolean))].sort();
}

// An action in the page's language ("login" -> 登录), the action itself when not in the catalog.
export function actionLabel(action: string, l: Lang): string {
  return tv('auditaction', action, l);
}

// An entry's detail as the page shows it: `user.add` writes "ROLE REGION INSTITUTION", whose role
// is said in the page's language; every other detail is shown as the server wrote it.
export function detailText(action: string, detail: string, l: Lang): string {
  if (action !== 'user.add') return detail;
  const [role = '', ...rest] = detail.split(' ');
  return [tv('role', role, l), ...rest].join(' ').trim();
}

// What verification found, in the page's language.
export function verifyText(v: AuditVerify, l: Lang): string {
  if (v.ok) return tf('audit.intact', { n: v.entries ?? 0, head: v.head ?? '' }, l);
  return tf('audit.broken', { id: v.first_broken ?? '?', n: v.entries ?? 0 }, l);
}

// "第 1–100 条，筛选后显示 37 条".
export function auditRange(entries: AuditEntry[], shown: number, l: Lang): string {
  if (entries.length === 0) return t('audit.empty', l);
  return tf('audit.range', { from: entries[0].id ?? 0, to: entries[entries.length - 1].id ?? 0, shown }, l);
}
