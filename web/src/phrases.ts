// Phrases the server writes in English, in the page's language: the platform a takedown goes to
// (takedown::PlatformOf, takedown/takedown.cc) and why a person was warned (the reasons of
// warn/screener.cc). The forms are those two files'; a phrase of another form shows as it came.
// Pure; tested by test/phrases.test.ts.
import { t, tf, tv, type Key, type Lang } from './i18n';
import { show } from './money';

const PLATFORMS: Record<string, Key> = {
  'China Mobile': 'platform.china_mobile',
  'China Unicom': 'platform.china_unicom',
  'China Telecom': 'platform.china_telecom',
  'China Broadnet': 'platform.china_broadnet',
  'virtual operator (MVNO)': 'platform.mvno',
  'mobile carrier': 'platform.mobile',
  'fixed-line carrier': 'platform.fixed_line',
  'foreign carrier': 'platform.foreign',
  'Tencent (WeChat)': 'platform.wechat',
  'Tencent (QQ)': 'platform.qq',
  'Ant Group (Alipay)': 'platform.alipay',
  'unknown platform': 'platform.unknown',
};

export function platformLabel(p: string, l: Lang): string {
  if (PLATFORMS[p]) return t(PLATFORMS[p], l);
  let m = /^CNNIC \((\.cn)\)$/.exec(p) ?? /^registry of (\..+)$/.exec(p);
  if (m) return tf(p.startsWith('CNNIC') ? 'platform.cnnic' : 'platform.registry', { tld: m[1] }, l);
  m = /^mail provider (.+)$/.exec(p);
  return m ? tf('platform.mail', { domain: m[1] }, l) : p;
}

type Fill = (m: RegExpExecArray, l: Lang) => Record<string, string>;
const REASONS: Array<[RegExp, Key, Fill]> = [
  [/^call from listed phone (\S+) \((\d+) s\)$/, 'reason.call_from', (m) => ({ phone: m[1], s: m[2] })],
  [/^call to listed phone (\S+) \((\d+) s\)$/, 'reason.call_to', (m) => ({ phone: m[1], s: m[2] })],
  [/^SMS from listed phone (\S+)$/, 'reason.sms_from', (m) => ({ phone: m[1] })],
  [/^contact from listed device (.+)$/, 'reason.device', (m) => ({ device: m[1] })],
  [/^SMS matches (\S*) script phrase '(.*)'$/s, 'reason.phrase', (m, l) => ({ category: m[1] ? tv('category', m[1], l) : '', text: m[2] })],
  [/^SMS matches (\S*) pattern '(.*)'$/s, 'reason.pattern', (m, l) => ({ category: m[1] ? tv('category', m[1], l) : '', text: m[2] })],
  [/^payment of (\S+) to listed account (\S+)$/, 'reason.pay_listed', (m) => ({ amount: show(m[1]), account: m[2] })],
  [/^payment of (\S+) to (\S+) after contact$/, 'reason.pay_after', (m) => ({ amount: show(m[1]), account: m[2] })],
  [/^visit of listed URL (\S+)$/, 'reason.url', (m) => ({ url: m[1] })],
  [/^visit of (\S+) on listed domain (\S+)$/, 'reason.domain', (m) => ({ url: m[1], domain: m[2] })],
  [/^install of listed app (.+)$/, 'reason.app', (m) => ({ app: m[1] })],
];

export function reasonLabel(reason: string, l: Lang): string {
  for (const [re, key, fill] of REASONS) {
    const m = re.exec(reason);
    if (m) return tf(key, fill(m, l), l).replace(/ {2,}/g, ' ');
  }
  return reason;
}
