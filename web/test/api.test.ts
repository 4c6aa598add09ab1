import { describe, expect, it } from 'vitest';
import { ApiError, errorText } from '../src/api';

describe('errors', () => {
  it("show the server's Chinese message on a Chinese page", () => {
    const e = new ApiError(400, 'invalid_input', 'document: the document number of the decision is required', 'document：须填写决定文书编号');
    expect(errorText(e, 'zh-CN')).toBe('document：须填写决定文书编号');
    expect(errorText(e, 'en')).toBe('document: the document number of the decision is required');
    expect(errorText(new ApiError(500, 'internal', 'error ref 7'), 'zh-CN')).toBe('error ref 7');
    expect(errorText(new Error('x'), 'zh-CN')).toBe('x');
    expect(errorText('y', 'en')).toBe('y');
  });
});

describe('requests', () => {
  it('send a Blob as its raw bytes with its type, anything else as JSON', async () => {
    const { api } = await import('../src/api');
    const seen: Array<{ headers: Record<string, string>; body: unknown }> = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      seen.push({ headers: init.headers as Record<string, string>, body: init.body });
      return new Response('{"seq":1}', { status: 201 });
    }) as typeof fetch;
    try {
      const file = new Blob([new Uint8Array([0, 1, 2])], { type: 'image/png' });
      expect(await api('POST', '/api/cases/C1/attachments?kind=other&name=a.png', file)).toEqual({ seq: 1 });
      await api('POST', '/api/cases/C1/attachments', new Blob(['x']));
      await api('POST', '/api/cases/C1/notes', { text: 'x' });
    } finally {
      globalThis.fetch = original;
    }
    expect(seen[0].headers['Content-Type']).toBe('image/png');
    expect(seen[0].body).toBeInstanceOf(Blob);
    expect(seen[1].headers['Content-Type']).toBe('application/octet-stream');
    expect(seen[2].headers['Content-Type']).toBe('application/json');
    expect(seen[2].body).toBe('{"text":"x"}');
  });
});
