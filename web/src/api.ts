// The server's JSON API (docs/API.md), same origin. The token lives in sessionStorage.
import type { User } from './types';

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

let token = '';
let me: User | null = null;

export function session(): { token: string; user: User | null } {
  if (!token) {
    try {
      token = sessionStorage.getItem('fanzha.token') ?? '';
      const u = sessionStorage.getItem('fanzha.user');
      me = u ? (JSON.parse(u) as User) : null;
    } catch {
      /* no storage */
    }
  }
  return { token, user: me };
}

export function setSession(t: string, u: User | null): void {
  token = t;
  me = u;
  try {
    if (t) {
      sessionStorage.setItem('fanzha.token', t);
      sessionStorage.setItem('fanzha.user', JSON.stringify(u));
    } else {
      sessionStorage.removeItem('fanzha.token');
      sessionStorage.removeItem('fanzha.user');
    }
  } catch {
    /* no storage */
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const { token: tk } = session();
  if (tk) headers.Authorization = `Bearer ${tk}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; message?: string };
    if (res.status === 401 && path !== '/api/login') {
      setSession('', null);
      window.dispatchEvent(new Event('fanzha:logout'));
    }
    throw new ApiError(res.status, d.error ?? String(res.status), d.message ?? (text || res.statusText));
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
