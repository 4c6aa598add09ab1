#include "link/world.h"

#include <cstdio>
#include <random>

namespace fanzha::link {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kT0 = 1577808000000;  // 2020-01-01T00:00:00+08:00

const char* kCategories[] = {"fake_goods_sale",
                             "impersonation_official",
                             "impersonation_service",
                             "investment",
                             "romance",
                             "loan",
                             "refund",
                             "part_time_job",
                             "impersonation_acquaintance"};
// Characters scripts are made of.
const char* kHanzi =
    "对方自称是客服说我购买的商品质量有问题需要退款让我下载一个会议软件并共享屏幕然后转账到安全账户"
    "在网上认识男朋友带投资数字货币稳赚不赔先后充值了五次后来平台无法提现冒充公检法涉嫌洗钱要求存款"
    "配合调查否则冻结全部资产贷款需要先交保证金刷单返利任务垫付佣金";
const char* kCommonScript = "接到电话说快递丢失了要给我理赔让我扫码添加客服然后按照提示操作转账";

std::vector<std::string> HanziList() {
  std::vector<std::string> out;
  std::string s = kHanzi;
  for (size_t i = 0; i + 3 <= s.size(); i += 3) out.push_back(s.substr(i, 3));
  return out;
}

std::string FullWidth(const std::string& ascii) {
  std::string out;
  for (char ch : ascii) {
    if (ch >= '0' && ch <= '9') {
      out += "\xEF\xBC";
      out += static_cast<char>(0x90 + (ch - '0'));
    } else {
      out += ch;
    }
  }
  return out;
}

std::string Grouped(const std::string& digits, const std::vector<int>& sizes, const char* sep) {
  std::string out;
  size_t at = 0;
  for (int n : sizes) {
    if (at >= digits.size()) break;
    if (!out.empty()) out += sep;
    out += digits.substr(at, n);
    at += n;
  }
  if (at < digits.size()) out += sep + digits.substr(at);
  return out;
}

class Maker {
 public:
  explicit Maker(const WorldOptions& o) : o_(o), rng_(o.seed), hanzi_(HanziList()) {}

  World Make() {
    int64_t gang = 0;
    while (static_cast<int64_t>(w_.cases.size()) < o_.cases) {
      if (Chance(o_.lone_rate)) {
        MakeGang("", 1);
      } else {
        std::geometric_distribution<int> extra(1.0 / (o_.gang_size_mean - 1));
        MakeGang("G" + std::to_string(++gang), 2 + extra(rng_));
      }
    }
    return std::move(w_);
  }

 private:
  struct Gang {
    std::vector<std::string> phones, accounts, wechats;
    std::string domain, mule, script, category;
    Millis start = 0;
    bool money = false;
  };

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  std::string NewPhone() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+861%02d%08lld", 30 + Pick(60),
                  static_cast<long long>(++serial_));
    return buf;
  }
  std::string NewAccount() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "6222%03d%012lld", Pick(1000),
                  static_cast<long long>(++serial_));
    return buf;
  }
  std::string NewScript() {
    std::string s;
    for (int i = 0; i < 36; ++i) s += hanzi_[Pick(static_cast<int>(hanzi_.size()))];
    return s;
  }
  // One character of the script changed: each victim tells it a little differently.
  std::string Retell(const std::string& script) {
    std::string s = script;
    size_t at = 3 * static_cast<size_t>(Pick(static_cast<int>(s.size() / 3)));
    s.replace(at, 3, hanzi_[Pick(static_cast<int>(hanzi_.size()))]);
    return s;
  }

  std::string RawPhone(const std::string& e164) {
    std::string national = e164.substr(3);
    switch (Pick(5)) {
      case 0:
        return "+86 " + Grouped(national, {3, 4, 4}, " ");
      case 1:
        return Grouped(national, {3, 4, 4}, "-");
      case 2:
        return FullWidth(national);
      case 3:
        return national;
      default:
        return e164;
    }
  }
  std::string RawAccount(const std::string& acct) {
    switch (Pick(4)) {
      case 0:
        return Grouped(acct, {4, 4, 4, 4}, " ");
      case 1:
        return Grouped(acct, {4, 4, 4, 4}, "-");
      case 2:
        return FullWidth(acct);
      default:
        return acct;
    }
  }

  Gang NewGang(int size) {
    Gang g;
    for (int i = 0; i < 2; ++i) g.phones.push_back(NewPhone());
    for (int i = 0; i < 2; ++i) g.accounts.push_back(NewAccount());
    g.wechats.push_back("wxid_g" + std::to_string(++serial_));
    if (Chance(0.5)) g.domain = "site" + std::to_string(++serial_) + ".com";
    g.mule = NewAccount();
    g.script = NewScript();
    g.category = kCategories[Pick(static_cast<int>(std::size(kCategories)))];
    g.start = kT0 + Pick(365) * kDay;
    g.money = size > 1 && Chance(o_.money_gang_rate);
    return g;
  }

  void Add(LinkCase& c, std::vector<std::string>& raw, IdentifierType t, const std::string& v,
           const std::string& r) {
    c.identifiers.push_back({t, v});
    raw.push_back(r);
  }

  // Two of the gang's five values, as the victim reported them.
  void GangIdentifiers(const Gang& g, LinkCase& c, std::vector<std::string>& raw) {
    int first = Pick(5), second = (first + 1 + Pick(4)) % 5;
    for (int v : {first, second}) {
      if (v < 2) {
        Add(c, raw, IdentifierType::kPhone, g.phones[v], RawPhone(g.phones[v]));
      } else if (v < 4) {
        Add(c, raw, IdentifierType::kAccount, g.accounts[v - 2], RawAccount(g.accounts[v - 2]));
      } else {
        std::string r = g.wechats[0];
        if (Chance(0.3)) r = "WXID_" + r.substr(5);
        Add(c, raw, IdentifierType::kWechat, g.wechats[0], r);
      }
    }
  }

  void MakeGang(const std::string& id, int size) {
    Gang g = NewGang(size);
    for (int i = 0; i < size && static_cast<int64_t>(w_.cases.size()) < o_.cases; ++i) {
      LinkCase c;
      char buf[32];
      std::snprintf(buf, sizeof buf, "C%08zu", w_.cases.size() + 1);
      c.id = buf;
      c.reported_at = g.start + Pick(20) * kDay + Pick(86400) * 1000LL;
      c.region = std::to_string(110000 + 10000 * Pick(30) + 100);
      c.category = g.category;
      c.loss = 100 * (1000 + Pick(500000));
      c.narrative = Chance(o_.common_script_rate) ? kCommonScript : Retell(g.script);
      std::vector<std::string> raw;
      GangIdentifiers(g, c, raw);
      if (!g.domain.empty() && Chance(0.5)) {
        std::string url = "http://www." + g.domain + "/pay?id=" + std::to_string(Pick(100000));
        Add(c, raw, IdentifierType::kUrl, url, url);
        Add(c, raw, IdentifierType::kDomain, g.domain, url);
      }
      if (Chance(o_.hub_phone_rate)) {
        Add(c, raw, IdentifierType::kPhone, "+8695338", Chance(0.5) ? "95338" : "9533 8");
      }
      if (Chance(o_.hub_domain_rate)) {
        std::string url = "https://weixin.qq.com/r/" + std::to_string(rng_());
        Add(c, raw, IdentifierType::kUrl, url, url);
        Add(c, raw, IdentifierType::kDomain, "qq.com", url);
      }
      MakeMoney(g, c);
      w_.identifiers += static_cast<int64_t>(c.identifiers.size());
      w_.truth[c.id] = id;
      w_.raw.push_back(std::move(raw));
      w_.cases.push_back(std::move(c));
    }
  }

  // The victim paid a collection account; part went on to the gang's mule card; five yuan of it
  // reached one of many shops where a mule spends money.
  void MakeMoney(const Gang& g, const LinkCase& c) {
    if (!g.money) return;
    CaseMoney m{c.id, c.loss, {}};
    m.reached.push_back({g.accounts[Pick(2)], c.loss});
    m.reached.push_back({g.mule, c.loss * (30 + Pick(60)) / 100});
    m.reached.push_back({"SHOP" + std::to_string(Pick(static_cast<int>(o_.cases / 4 + 1))), 500});
    w_.money.push_back(std::move(m));
  }

  WorldOptions o_;
  std::mt19937_64 rng_;
  std::vector<std::string> hanzi_;
  int64_t serial_ = 0;
  World w_;
};

}  // namespace

World MakeWorld(const WorldOptions& options) { return Maker(options).Make(); }

}  // namespace fanzha::link
