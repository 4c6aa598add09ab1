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
