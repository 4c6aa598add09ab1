import { afterEach, describe, expect, it } from 'vitest';
import {
  buildCaseBody, fieldOfServerError, FieldError, parsePayment, parseYuan, shanghaiToRfc3339, toShanghaiLocal,
  type IntakeForm,
} from '../src/intake';

const form = (over: Partial<IntakeForm> = {}): IntakeForm => ({
  id: ' C9 ', reported_at: '2020-02-08T00:42', region: '330106', category: 'loan', loss: '100', narrative: '',
  victim_name: '苏某', victim_phone: '', victim_account: '6228', transfer_ids: 'T1, T2',
  identifiers: [{ type: 'phone', value: ' 177 7212 3456 ' }, { type: 'url', value: '' }, { type: 'id_card', value: '11010519491231002X' }],
  payments: [{ time: '2020-02-08T00:40', from: '6228', to: '6222', amount: '99.5', channel: 'transfer' },
    { time: '', from: '', to: '', amount: '', channel: 'transfer' }],
  ...over,
});

// The test runs in Node, where a change of TZ takes effect at once: a browser in another zone.
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;

describe('China wall time for datetime-local', () => {
  const zone = env.TZ;
  afterEach(() => { if (zone === undefined) delete env.TZ; else env.TZ = zone; });
  it('writes RFC 3339 with +08:00, seconds or not', () => {
    expect(shanghaiToRfc3339('2020-02-08T00:42')).toBe('2020-02-08T00:42:00+08:00');
    expect(shanghaiToRfc3339('2020-02-08T23:59:59')).toBe('2020-02-08T23:59:59+08:00');
    expect(shanghaiToRfc3339('2020-01-01T00:00')).toBe('2020-01-01T00:00:00+08:00');
    expect(shanghaiToRfc3339('2024-02-29T12:00')).toBe('2024-02-29T12:00:00+08:00');
  });
  it('refuses what is no date and time', () => {
    for (const bad of ['', '2020-02-08', '2023-02-29T12:00', '2020-13-01T00:00', '2020-04-31T00:00', '2020-02-08T24:00', '2020-02-08 00:42', 'x'])
      expect(shanghaiToRfc3339(bad), bad).toBeNull();
  });
  it('reads an instant as China wall time, across midnight and from any offset', () => {
    expect(toShanghaiLocal('2020-02-07T16:00:00Z')).toBe('2020-02-08T00:00');  // midnight in China
    expect(toShanghaiLocal('2020-02-07T15:59:59Z')).toBe('2020-02-07T23:59:59');
    expect(toShanghaiLocal('2020-02-08T00:42:00+08:00')).toBe('2020-02-08T00:42');
    expect(toShanghaiLocal('2020-12-31T11:30:00-05:00')).toBe('2021-01-01T00:30');  // year's end
    expect(toShanghaiLocal(Date.UTC(2021, 2, 14, 7, 0))).toBe('2021-03-14T15:00');
    expect(toShanghaiLocal('nonsense')).toBe('');
  });
  it('does not depend on the browser zone (New York and London, daylight saving days)', () => {
    const want = [toShanghaiLocal('2021-03-14T07:30:00Z'), toShanghaiLocal('2021-03-28T01:30:00Z'), shanghaiToRfc3339('2021-03-14T02:30')];
    expect(want).toEqual(['2021-03-14T15:30', '2021-03-28T09:30', '2021-03-14T02:30:00+08:00']);
    for (const tz of ['America/New_York', 'Europe/London', 'Pacific/Chatham', 'UTC']) {
      env.TZ = tz;
      if (tz === 'America/New_York') expect(new Date(Date.UTC(2021, 0, 1)).getTimezoneOffset()).toBe(300);  // the zone took
      expect([toShanghaiLocal('2021-03-14T07:30:00Z'), toShanghaiLocal('2021-03-28T01:30:00Z'), shanghaiToRfc3339('2021-03-14T02:30')], tz).toEqual(want);
    }
  });
  it('round-trips a written time', () => {
    for (const l of ['2020-02-08T00:00', '2020-02-29T23:59', '1999-12-31T08:00'])
      expect(toShanghaiLocal(shanghaiToRfc3339(l)!)).toBe(l);
  });
});

describe('money as typed', () => {
  it('writes yuan with two decimals, from text only', () => {
    expect(parseYuan('5000')).toBe('5000.00');
    expect(parseYuan(' 5,000.5 ')).toBe('5000.50');
    expect(parseYuan('0.01')).toBe('0.01');
    expect(parseYuan('007.10')).toBe('7.10');
    expect(parseYuan('0')).toBe('0.00');
    expect(parseYuan('12.')).toBe('12.00');
    expect(parseYuan('90071992547409.99')).toBe('90071992547409.99');  // past a double's exact cents
  });
  it('refuses more than two decimals, signs, exponents and words', () => {
    for (const bad of ['', '12.345', '-5', '+5', '1e3', '5 元', 'abc', '.5', '1.2.3', '0x10'])
      expect(parseYuan(bad), bad).toBeNull();
  });
  it('a payment is more than nothing', () => {
    expect(parsePayment('0.00')).toBeNull();
    expect(parsePayment('0')).toBeNull();
    expect(parsePayment('0.1')).toBe('0.10');
  });
});

describe('the POST /api/cases body', () => {
  it('from the rows, leaving empty ones out', () => {
    const b = buildCaseBody(form(), 'en');
    expect(b.case).toEqual({ id: 'C9', reported_at: '2020-02-08T00:42:00+08:00', region: '330106', category: 'loan', loss: '100.00',
      victim: { name: '苏某', phone: '', account: '6228' }, transfers: ['T1', 'T2', 'C9-T1'],
      identifiers: [{ type: 'phone', value: '177 7212 3456' }, { type: 'id_card', value: '11010519491231002X' }] });
    expect(b.transfers).toEqual([{ id: 'C9-T1', time: '2020-02-08T00:40:00+08:00', from: '6228', to: '6222', amount: '99.50', channel: 'transfer', memo: '' }]);
  });
  it('names the wrong field in the page language', () => {
    const err = (f: IntakeForm, l: 'en' | 'zh-CN') => { try { buildCaseBody(f, l); } catch (e) { return e as FieldError; } throw new Error('no error'); };
    expect(err(form({ id: ' ' }), 'en').field).toBe('id');
    expect(err(form({ reported_at: '' }), 'zh-CN')).toMatchObject({ field: 'reported_at', message: '时间无效，请选择日期和时间' });
    expect(err(form({ region: '杭州' }), 'en').field).toBe('region');
    expect(err(form({ loss: '1.234' }), 'en').field).toBe('loss');
    const pay = form({ payments: [form().payments[0], { time: '2020-02-08T00:41', from: 'a', to: 'b', amount: '12.345', channel: 'transfer' }] });
    expect(err(pay, 'zh-CN')).toMatchObject({ field: 'payments.1.amount', message: '第 2 行：金额应为正数，最多两位小数，如 5000.00' });
    expect(err(pay, 'en').message).toBe('row 2: an amount is positive with at most two decimals, e.g. 5000.00');
  });
  it("maps the server's field to the form's", () => {
    const f = form({ payments: [{ time: '', from: '', to: '', amount: '', channel: 'transfer' }, form().payments[0]] });
    const b = buildCaseBody(f, 'en');
    expect(b.transfers[0].id).toBe('C9-T2');
    expect(fieldOfServerError("case.region: '999999' is not a division of GB/T 2260", b, f.payments)).toBe('region');
    expect(fieldOfServerError('case.reported_at: missing', b, f.payments)).toBe('reported_at');
    expect(fieldOfServerError('case.victim.phone: bad', b, f.payments)).toBe('victim_phone');
    expect(fieldOfServerError('transfers[0].to: the same account as from', b, f.payments)).toBe('payments.1.to');
    expect(fieldOfServerError('transfers[0].amount: negative', b, f.payments)).toBe('payments.1.amount');
    expect(fieldOfServerError('transfers[3].amount: x', b, f.payments)).toBe('');
    expect(fieldOfServerError('region outside yours', b, f.payments)).toBe('');
  });
});
