// Profiles (画像, #/profile/{type}/{value}): where a page links an identifier or an account to its
// profile, and how the profile names a counterparty. Pure; tested by test/profile.test.ts.
import { t, tv, type Lang } from './i18n';

// "#/profile/account/6222..." (each part encoded: a URL's slashes stay inside its part).
export function profileHref(type: string, value: string): string {
  return `#/profile/${encodeURIComponent(type || 'account')}/${encodeURIComponent(value)}`;
}

// The profile's address read back: [type, value] from the parts after "profile" (already decoded
// by the router); a value with a '/' the router split is joined again.
export function profileFromParts(parts: string[]): { type: string; value: string } {
  const [type = '', ...rest] = parts;
  return { type, value: rest.join('/') };
}

// A counterparty's account as people read it: "" is cash (a withdrawal or a deposit).
export function counterpartyLabel(account: string, l: Lang): string {
  return account === '' ? t('profile.cash', l) : account;
}

// The identifier type in the page's language ("phone" -> 手机号), the type itself when unknown.
export function typeLabel(type: string, l: Lang): string {
  return tv('idtype', type, l);
}
