// The server's JSON API (docs/API.md), same origin.
//
// The session is an HttpOnly cookie that script cannot read: nothing here keeps a token, and
// nothing is stored in localStorage or sessionStorage. What the page keeps, in memory only, is the
// user and the session's CSRF token, which every state-changing request sends in X-CSRF-Token
// (the server refuses a cookie session's change without it). After a reload both come back from
// GET /api/me.
import { lang, type Lang } from './i18n';
import type { Answer, LoginAnswer, User } from './types';

// An answer other than 2xx: its status, code and message, and the message in Chinese when the
// server gave one (docs/API.md, Errors).
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public messageZh = '') {
    super(message);
  }
}

// What a page says of an error in language `l`: the server's Chinese message on a Chinese page.
export function errorText(e: unknown, l: Lang): string {
  if (e instanceof ApiError && l === 'zh-CN' && e.messageZh) return e.messageZh;
  return e instanceof Error ? e.message : String(e);
}

let me: User | null = null;
let csrf = '';

export function session(): { user: User | null } {
  return { user: me };
}

function setSession(u: User | null, token: string): void {
  me = u;
  csrf = token;
}

// Forgets the session on this page (after a logout, or when the server says it is gone).
export function clearSession(): void {
  setSession(null, '');
}

// The session the browser's cookie still holds, if any (on page load).
export async function restoreSession(): Promise<User | null> {
  try {
    const u = await api<Answer<'/api/me'>>('GET', '/api/me');
    setSession(u, u.csrf ?? '');
  } catch {
    clearSession();
  }
  return me;
}

// Logs in; the server sets the session cookie and answers the user and the CSRF token.
export async function login(user: string, password: string): Promise<User> {
  const a = await api<LoginAnswer>('POST', '/api/login', { user, password, cookie: true });
  setSession(a.user, a.csrf ?? '');
  return a.user;
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/api/logout');
  } finally {
    clearSession();
  }
}

// A request; `body` is sent as JSON, or as it is when it is a Blob (a File: an attachment's raw
// bytes, with the file's type, or application/octet-stream when the browser knows none).
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (raw) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  // What the server writes for people (an error's text, the daily report) in the page's language.
  headers['Accept-Language'] = lang();
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; message?: string; message_zh?: string };
    if (res.status === 401 && path !== '/api/login' && me) {
      clearSession();
      window.dispatchEvent(new Event('fanzha:logout'));
    }
    throw new ApiError(res.status, d.error ?? String(res.status), d.message ?? (text || res.statusText), d.message_zh);
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
