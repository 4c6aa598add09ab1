import { describe, expect, it } from 'vitest';
import { counterpartyLabel, profileFromParts, profileHref, typeLabel } from '../src/profile';

describe('profile links', () => {
  it('puts the type and the value in the address, each encoded', () => {
    expect(profileHref('account', '6225887043055967')).toBe('#/profile/account/6225887043055967');
    expect(profileHref('phone', '+8613800138000')).toBe('#/profile/phone/%2B8613800138000');
    expect(profileHref('url', 'https://x.example/a?b=1#c')).toBe('#/profile/url/https%3A%2F%2Fx.example%2Fa%3Fb%3D1%23c');
    expect(profileHref('', '62')).toBe('#/profile/account/62');
  });
  it('reads the address back as the router splits it', () => {
    const hash = profileHref('url', 'https://x.example/a');
    const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    expect(parts[0]).toBe('profile');
    expect(profileFromParts(parts.slice(1))).toEqual({ type: 'url', value: 'https://x.example/a' });
    expect(profileFromParts(['url', 'https:', '', 'x.example'])).toEqual({ type: 'url', value: 'https://x.example' });
    expect(profileFromParts([])).toEqual({ type: '', value: '' });
  });
  it('names cash and the types in the page language', () => {
    expect(counterpartyLabel('', 'zh-CN')).toBe('现金');
    expect(counterpartyLabel('', 'en')).toBe('cash');
    expect(counterpartyLabel('6222', 'en')).toBe('6222');
    expect(typeLabel('phone', 'zh-CN')).toBe('手机号');
    expect(typeLabel('account', 'en')).toBe('account');
    expect(typeLabel('made_up', 'en')).toBe('made_up');
  });
});
