import { describe, expect, it } from 'vitest';
import { platformLabel, reasonLabel } from '../src/phrases';

describe("the server's English phrases", () => {
  it('names every platform takedown::PlatformOf writes, in both languages', () => {
    const zh: Record<string, string> = {
      'China Mobile': '中国移动', 'China Unicom': '中国联通', 'China Telecom': '中国电信', 'China Broadnet': '中国广电',
      'virtual operator (MVNO)': '虚拟运营商', 'mobile carrier': '移动运营商', 'fixed-line carrier': '固话运营商', 'foreign carrier': '境外运营商',
      'Tencent (WeChat)': '腾讯（微信）', 'Tencent (QQ)': '腾讯（QQ）', 'Ant Group (Alipay)': '蚂蚁集团（支付宝）', 'unknown platform': '未知平台',
      'CNNIC (.cn)': '中国互联网络信息中心（.cn）', 'registry of .com': '.com 域名注册局', 'mail provider qq.com': '邮件服务商 qq.com',
    };
    for (const [en, z] of Object.entries(zh)) {
      expect(platformLabel(en, 'zh-CN')).toBe(z);
      expect(platformLabel(en, 'en')).toBe(en);
    }
    expect(platformLabel('a platform of tomorrow', 'zh-CN')).toBe('a platform of tomorrow');
  });
  it('says why a person was warned, in both languages', () => {
    const cases: Array<[string, string, string?]> = [
      ['call from listed phone +8615368674785 (1336 s)', '接到涉诈号码 +8615368674785 来电（1336 秒）'],
      ['call to listed phone +8617772123456 (40 s)', '拨打涉诈号码 +8617772123456（40 秒）'],
      ['SMS from listed phone +8615887534530', '收到涉诈号码 +8615887534530 的短信'],
      ['contact from listed device IMEI861234', '涉诈设备 IMEI861234 与其联系'],
      ["SMS matches refund script phrase '办理退款'", '短信含退款诈骗话术“办理退款”', "SMS matches Refund script phrase '办理退款'"],
      ["SMS matches  pattern 'a b'", '短信符合诈骗特征“a b”', "SMS matches pattern 'a b'"],
      ['payment of 20000.00 to listed account 6200000000000000001', '向涉诈账户 6200000000000000001 付款 20,000.00 元',
        'payment of 20,000.00 yuan to listed account 6200000000000000001'],
      ['payment of 20000.00 to 6200000000000000001 after contact', '被联系后向 6200000000000000001 付款 20,000.00 元',
        'payment of 20,000.00 yuan to 6200000000000000001 after contact'],
      ['visit of listed URL http://shop-fuli809.com/', '访问涉诈网址 http://shop-fuli809.com/'],
      ['visit of http://a.shop-fuli809.com/?id=1 on listed domain shop-fuli809.com', '访问涉诈域名 shop-fuli809.com 下的 http://a.shop-fuli809.com/?id=1'],
      ['install of listed app 安全中心', '安装涉诈应用 安全中心'],
    ];
    for (const [server, zh, en = server] of cases) {
      expect(reasonLabel(server, 'zh-CN')).toBe(zh);
      expect(reasonLabel(server, 'en')).toBe(en);
    }
    expect(reasonLabel('a reason of tomorrow', 'zh-CN')).toBe('a reason of tomorrow');
  });
});
