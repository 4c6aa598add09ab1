#include "gen/world.h"

#include <algorithm>
#include <filesystem>

#include "gen/cities.h"
#include "gen/identity.h"
#include "gen/narrative.h"

namespace fanzha::gen {
namespace {

enum Channel : uint8_t { kTransfer, kWithdrawal, kDeposit, kPurchase };
constexpr std::string_view kChannelNames[] = {"transfer", "withdrawal", "deposit", "purchase"};
enum Memo : uint8_t {
  kNoMemo,
  kSalary,
  kP2p,
  kRedPacket,
  kRent,
  kShopping,
  kCash,
  kCashIn,
  kTopUp,
  kPayout,
  kGoods,
  kBusiness,
  kDeposit_,
  kRepay
};
constexpr std::string_view kMemos[] = {"",     "工资",    "转账",     "红包", "房租",
                                       "消费", "ATM取款", "现金存入", "充值", "提现",
                                       "货款", "往来款",  "保证金",   "还款"};
enum EventKind : uint8_t { kCall, kSms, kPayment, kVisit, kAppInstall };
constexpr std::string_view kEventKinds[] = {"call", "sms", "payment", "visit", "app_install"};
constexpr std::string_view kLayerNames[] = {"collection", "split", "gather", "cashout"};

// Hours of the day weighted by how busy they are (little at night, peaks at noon and evening).
constexpr int kHourWeights[24] = {3,  2,  1,  1,  1,  2,  4,  7,  10, 12, 13, 14,
                                  15, 13, 12, 12, 12, 13, 15, 16, 15, 12, 8,  5};
constexpr int kHourWeightSum = 243;

// Typical payment per category, yuan.
constexpr int64_t kTypicalYuan[] = {8000,  120000, 30000, 80000, 50000,
                                    10000, 15000,  20000, 20000, 10000};
// One per built-in category (narrative.cc kCategories, core/model.h BuiltinCategories; gen_test
// checks that those two agree): "other" had none, and its cases read past the end of this table.
static_assert(std::size(kTypicalYuan) == 10);

constexpr std::string_view kPinyin[] = {"kouzhao", "shop",   "mall",      "jinrong", "licai",
                                        "touzi",   "dai",    "kuaidi",    "tuikuan", "vip",
                                        "huodong", "youhui", "zhengquan", "gupiao",  "jianzhi",
                                        "fuli",    "pay",    "kefu",      "bzj",     "usdt"};
constexpr std::string_view kTlds[] = {".cn",     ".com", ".top", ".xyz",
                                      ".com.cn", ".vip", ".cc",  ".net"};
constexpr std::string_view kNormalSites[] = {
    "https://www.taobao.com/", "https://www.jd.com/",     "https://www.baidu.com/s?wd=",
    "https://weibo.com/",      "https://www.douyin.com/", "https://www.12306.cn/"};
constexpr std::string_view kServiceSenders[] = {"95588", "95533", "10086",
                                                "10010", "95555", "106900"};

std::string Digits(Rng& rng, int n) {
  std::string s;
  s += static_cast<char>('1' + rng.Below(9));
  while (static_cast<int>(s.size()) < n) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

std::string PadId(char prefix, int64_t n, int width) {
  std::string digits = std::to_string(n);
  return std::string(1, prefix) +
         std::string(width > (int)digits.size() ? width - digits.size() : 0, '0') + digits;
}

int64_t HourOf(Millis t, Millis start) { return (t - start) / kHour; }

}  // namespace

World::World(const GenOptions& options, int64_t persons)
    : opt_(options),
      rng_(options.seed),
      pop_(options.seed, persons, options.shape.amount_percent,
           IssuersOfFirstBanks(options.banks).value()) {  // checked by GenerateWorld
  end_ = opt_.start + opt_.days * kDay;
  hours_ = opt_.days * 24LL;
  balance_.resize(pop_.size());
  for (uint32_t i = 0; i < pop_.size(); ++i) balance_[i] = pop_.OpeningBalance(i);
}

// ---------------------------------------------------------------------------------------------
// Gangs

uint32_t World::PersonNear(size_t city, int tries) {
  uint32_t p = 0;
  for (int i = 0; i < tries; ++i) {
    p = pop_.hubs() + static_cast<uint32_t>(rng_.Below(pop_.persons() - pop_.hubs()));
    if (!reserved_.count(p) && pop_.CityOf(p) == city) return p;
  }
  do p = pop_.hubs() + static_cast<uint32_t>(rng_.Below(pop_.persons() - pop_.hubs()));
  while (reserved_.count(p));
  return p;
}

uint32_t World::RentMule(int gang, Layer layer) {
  // Last layers are usually rented near the gang's home; collection cards come from anywhere.
  const int near_chance = layer == kCashout ? 800 : layer == kGather ? 500 : 100;
  const uint32_t p =
      rng_.Chance(near_chance) ? PersonNear(gangs_[gang].city, 2000) : PersonNear(SIZE_MAX, 0);
  reserved_.insert(p);
  mule_gang_[p] = gang;
  gangs_[gang].mules[layer].push_back(p);
  return p;
}

void World::MakeGangs(int64_t count) {
  std::vector<size_t> homes;
  for (size_t c = 0; c < Cities().size(); ++c)
    if (Cities()[c].gang_home) homes.push_back(c);
  std::unordered_set<std::string> phones_taken;
  for (int64_t g = 0; g < count; ++g) {
    Gang gang;
    gang.city = homes[rng_.Below(homes.size())];
    const City& city = Cities()[gang.city];
    for (int64_t n = rng_.Between(3, 6); n > 0;) {
      std::string phone =
          std::string(city.mobile_prefixes[rng_.Below(6)]) + Digits(rng_, 4).substr(0, 4);
      if (phones_taken.insert(phone).second) {
        gang.phones.push_back(phone);
        --n;
      }
    }
    for (int64_t n = rng_.Between(2, 4); n > 0; --n) {
      std::string id = "wxid_";
      for (int k = 0; k < 14; ++k) id += "abcdefghijklmnopqrstuvwxyz0123456789"[rng_.Below(36)];
      gang.wechat.push_back(id);
    }
    for (int64_t n = rng_.Between(1, 3); n > 0; --n)
      gang.qq.push_back(Digits(rng_, static_cast<int>(rng_.Between(8, 10))));
    for (int64_t n = rng_.Between(1, 3); n > 0; --n)
      gang.domains.push_back(std::string(kPinyin[rng_.Below(std::size(kPinyin))]) + "-" +
                             std::string(kPinyin[rng_.Below(std::size(kPinyin))]) +
                             std::to_string(rng_.Between(1, 999)) +
                             std::string(kTlds[rng_.Below(std::size(kTlds))]));
    const size_t cat = rng_.Below(Categories().size());
    gang.scripts.push_back({cat, static_cast<int>(rng_.Below(ScriptCount(cat)))});
    if (rng_.Chance(400)) {
      const size_t cat2 = rng_.Below(Categories().size());
      gang.scripts.push_back({cat2, static_cast<int>(rng_.Below(ScriptCount(cat2)))});
    }
    gangs_.push_back(std::move(gang));
    const int gi = static_cast<int>(g);
    int64_t sizes[kLayers] = {rng_.Between(3, 8), rng_.Between(4, 10), rng_.Between(2, 4),
                              rng_.Between(2, 5)};
    // A wide gang has a split card for about every part a payment is split into.
    if (opt_.shape.fan_out > 4)
      sizes[kSplit] += rng_.Between(opt_.shape.fan_out / 2, opt_.shape.fan_out);
    for (int layer = 0; layer < kLayers; ++layer)
      for (int64_t n = 0; n < sizes[layer]; ++n) RentMule(gi, static_cast<Layer>(layer));
    for (int64_t n = rng_.Between(1, 3); n > 0; --n) {
      const uint32_t p = PersonNear(gangs_[gi].city, 500);
      reserved_.insert(p);
      gangs_[gi].accomplices.push_back(p);
    }
    for (int64_t n = rng_.Between(1, 3); n > 0; --n) {
      const uint32_t p = PersonNear(SIZE_MAX, 0);
      reserved_.insert(p);
      gangs_[gi].sellers.push_back(p);
    }
  }
}

void World::WriteGangTruth() {
  truth_gangs_.Put("gang,home_region,home_city,phones,wechat,qq,domains,categories\n");
  truth_mules_.Put("account,gang,layer\n");
  truth_accomplices_.Put("account,gang,role\n");
  auto joined = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
    return s;
  };
  for (size_t g = 0; g < gangs_.size(); ++g) {
    const Gang& gang = gangs_[g];
    const std::string id = PadId('G', static_cast<int64_t>(g + 1), 4);
    std::vector<std::string> cats;
    for (auto [cat, script] : gang.scripts)
      cats.push_back(std::string(Categories()[cat]) + ":" + std::to_string(script));
    truth_gangs_.Put(id)
        .Put(',')
        .Put(Cities()[gang.city].code)
        .Put(',')
        .Put(Cities()[gang.city].name)
        .Put(',');
    truth_gangs_.Put(joined(gang.phones))
        .Put(',')
        .Put(joined(gang.wechat))
        .Put(',')
        .Put(joined(gang.qq));
    truth_gangs_.Put(',').Put(joined(gang.domains)).Put(',').Put(joined(cats)).Put('\n');
    for (int layer = 0; layer < kLayers; ++layer)
      for (uint32_t m : gang.mules[layer])
        truth_mules_.Put(pop_.Number(m))
            .Put(',')
            .Put(id)
            .Put(',')
            .Put(kLayerNames[layer])
            .Put('\n');
    for (uint32_t a : gang.accomplices)
      truth_accomplices_.Put(pop_.Number(a)).Put(',').Put(id).Put(",accomplice\n");
    for (uint32_t a : gang.sellers)
      truth_accomplices_.Put(pop_.Number(a)).Put(',').Put(id).Put(",seller\n");
    summary_.mules += static_cast<int64_t>(gang.mules[0].size() + gang.mules[1].size() +
                                           gang.mules[2].size() + gang.mules[3].size());
  }
}

// ---------------------------------------------------------------------------------------------
// Cases and the money of their victims

Millis World::FirstPaymentOf(int64_t k) const {
  // Spread evenly over the period, leaving the last half day for the money to move; the jitter is
  // a hash so that it does not depend on when the case is planned.
  const Millis span = opt_.days * kDay - 13 * kHour;
  const Millis t = opt_.start + kHour +
                   (span * k + static_cast<Millis>(Hash2(opt_.seed, k) % span)) / total_cases_;
  return t / 1000 * 1000;  // whole seconds, like bank postings
}

void World::AddTx(Millis t, uint32_t from, uint32_t to, int64_t amount, uint8_t channel,
                  uint8_t memo, bool planned, int32_t slot) {
  if (t >= end_ || amount <= 0) return;  // beyond the data: the money is still held there
  Tx tx{t, seq_++, amount, from, to, slot, channel, memo, planned};
  pending_tx_[HourOf(t, opt_.start)].push_back(tx);
}

void World::AddEvent(Event e) {
  if (e.time >= end_ || e.time < opt_.start) return;
  e.seq = seq_++;
  pending_ev_[HourOf(e.time, opt_.start)].push_back(std::move(e));
}

void World::Withdraw(uint32_t account, int64_t amount, Millis t, int64_t chunk) {
  while (amount > 0) {
    const int64_t piece = std::min(amount, chunk);
    AddTx(t, account, kNoAccount, piece, kWithdrawal, kCash, true);
    amount -= piece;
    t += rng_.Between(1, 6) * kMinute;
  }
}

void World::CashOut(int gang, uint32_t account, int64_t amount, Millis t) {
  t += rng_.Between(20, 300) * kMinute;
  if (rng_.Chance(150)) {  // a private seller (gift cards, phones) is paid from the cash-out card
    const int64_t part = amount * rng_.Between(5, 20) / 100;
    const auto& sellers = gangs_[gang].sellers;
    AddTx(t, account, sellers[rng_.Below(sellers.size())], part, kTransfer, kGoods, true);
    amount -= part;
  }
  Withdraw(account, amount, t + rng_.Between(1, 20) * kMinute, Scaled(2'000'000));
}

void World::Gather(int gang, uint32_t account, int64_t amount, Millis t) {
  const Gang& g = gangs_[gang];
  t += rng_.Between(10, 240) * kMinute;
  while (amount > 0) {
    const int64_t piece = std::min(amount, Scaled(rng_.Between(5'000, 50'000) * 100));
    const int action = static_cast<int>(rng_.Weighted(std::initializer_list<int>{20, 30, 10, 40}));
    if (action == 0) {
      Withdraw(account, piece, t, Scaled(2'000'000));
    } else if (action == 1) {
      AddTx(t, account, pop_.exchange(rng_.Below(6)), piece, kTransfer, kNoMemo, true);
    } else if (action == 2) {
      AddTx(t, account, pop_.merchant(rng_.Below(std::min<uint32_t>(pop_.merchants(), 40))), piece,
            kPurchase, kShopping, true);
    } else {
      const uint32_t to = g.mules[kCashout][rng_.Below(g.mules[kCashout].size())];
      AddTx(t, account, to, piece, kTransfer, kBusiness, true);
      CashOut(gang, to, piece, t);
    }
    amount -= piece;
    t += rng_.Between(1, 15) * kMinute;
  }
}

void World::Split(int gang, uint32_t account, int64_t amount, Millis t, int depth) {
  const Gang& g = gangs_[gang];
  t += rng_.Between(3, 60) * kMinute;
  if (rng_.Chance(80)) {  // a cut leaks to an accomplice
    const int64_t cut = amount * rng_.Between(1, 4) / 100;
    AddTx(t, account, g.accomplices[rng_.Below(g.accomplices.size())], cut, kTransfer, kP2p, true);
    amount -= cut;
    t += rng_.Between(1, 5) * kMinute;
  }
  const auto& splits = g.mules[kSplit];
  if (depth < opt_.shape.layers &&
      rng_.Chance(opt_.shape.layer_chance)) {  // pass-through: one more card
    const uint32_t next = splits[rng_.Below(splits.size())];
    if (next != account) {
      AddTx(t, account, next, amount, kTransfer, kBusiness, true);
      Split(gang, next, amount, t, depth + 1);
      return;
    }
  }
  const uint32_t to = g.mules[kGather][rng_.Below(g.mules[kGather].size())];
  AddTx(t, account, to, amount, kTransfer, kBusiness, true);
  Gather(gang, to, amount, t);
}

void World::Collect(int gang, uint32_t account, int64_t amount, Millis t) {
  const auto& splits = gangs_[gang].mules[kSplit];
  t += rng_.Between(1, 20) * kMinute;
  const int64_t parts = rng_.Chance(300) ? 1 : rng_.Between(2, std::max(2, opt_.shape.fan_out));
  int64_t left = amount;
  for (int64_t p = 0; p < parts && left > 0; ++p) {
    // Mules move whole yuan; the last part takes the rest (with the fen).
    int64_t piece =
        p + 1 == parts ? left : (amount / parts * rng_.Between(70, 130) / 100) / 100 * 100;
    piece = std::min(piece, left);
    if (piece <= 0) break;  // many parts of a small payment: the whole yuan have run out
    const uint32_t to = splits[rng_.Below(splits.size())];
    AddTx(t, account, to, piece, kTransfer, kBusiness, true);
    Split(gang, to, piece, t, 0);
    left -= piece;
    t += rng_.Between(0, 3) * kMinute + rng_.Between(5, 50) * 1000;
  }
}

void World::PlanCase(int64_t k) {
  CaseRecord c;
  c.index = k;
  c.gang = static_cast<int>(rng_.Skewed(gangs_.size()));
  const Gang& g = gangs_[c.gang];
  const auto [category, script] = g.scripts[rng_.Below(g.scripts.size())];
  c.category = category;
  do c.victim = pop_.hubs() + static_cast<uint32_t>(rng_.Below(pop_.persons() - pop_.hubs()));
  while (reserved_.count(c.victim));
  const Millis t0 = FirstPaymentOf(k);
  c.first_payment = t0;
  const bool long_con = category == 3 || category == 4 || category == 7;
  const int64_t payments = long_con ? rng_.Between(2, 5) : rng_.Between(1, 2);
  std::vector<uint32_t> collection_used;
  Millis t = t0, last = t0;
  for (int64_t n = 0; n < payments && t < end_ - kHour; ++n) {
    const int64_t amount = Scaled(rng_.Spread(kTypicalYuan[category], 8) * 100);
    const auto& collection = g.mules[kCollection];
    const uint32_t to = collection[rng_.Below(collection.size())];
    if (std::find(collection_used.begin(), collection_used.end(), to) == collection_used.end())
      collection_used.push_back(to);
    // Victims often first move savings onto the card they pay from.
    if (amount > Scaled(500'000))
      AddTx(t - rng_.Between(10, 60) * kMinute, kNoAccount, c.victim, amount, kDeposit, kCashIn,
            true);
    const int32_t slot = static_cast<int32_t>(slots_.size());
    slots_.push_back({k, static_cast<int>(n)});
    AddTx(t, c.victim, to, amount, kTransfer,
          category == 0   ? kGoods
          : category == 5 ? kDeposit_
                          : kP2p,
          true, slot);
    AddEvent({t, 0, kPayment, pop_.Number(c.victim), pop_.Number(to), "", amount, 0,
              static_cast<int32_t>(k), c.gang});
    Collect(c.gang, to, amount, t);
    c.loss += amount;
    ++c.pending;
    last = t;
    t += long_con ? rng_.Between(2, 40) * kHour : rng_.Between(5, 50) * kMinute;
  }
  c.payment_ids.resize(c.pending);
  c.reported_at = last + rng_.Between(20, 2880) * kMinute;
  const bool traditional = rng_.Chance(150);
  c.narrative = Narrative(category, script, c.loss / 100, traditional, rng_);
  // Identifiers as the victim reports them.
  std::vector<std::string> used_phones;
  for (int64_t n = rng_.Between(1, 2); n > 0; --n)
    used_phones.push_back(g.phones[rng_.Below(g.phones.size())]);
  for (const auto& p : used_phones)
    if (rng_.Chance(850)) c.identifiers.push_back({"phone", NoisyPhone(p, rng_)});
  for (uint32_t a : collection_used)
    if (rng_.Chance(900)) c.identifiers.push_back({"account", NoisyAccount(pop_.Number(a), rng_)});
  const bool web_script =
      category == 0 || category == 3 || category == 6 || category == 7 || category == 5;
  if (web_script || rng_.Chance(200))
    c.identifiers.push_back({"url", NoisyUrl(g.domains[rng_.Below(g.domains.size())], rng_)});
  if (rng_.Chance(500)) c.identifiers.push_back({"wechat", g.wechat[rng_.Below(g.wechat.size())]});
  if (rng_.Chance(250)) c.identifiers.push_back({"qq", g.qq[rng_.Below(g.qq.size())]});
  if (rng_.Chance(300)) {  // a hub value: true but shared by unrelated cases
    const size_t h = rng_.Below(hub_values_.size());
    const std::string_view kind = h < 3 ? "phone" : h == 3 ? "url" : "account";
    c.identifiers.push_back({std::string(kind), hub_values_[h]});
  }
  PlanContacts(c, t0, used_phones);
  PlanDecoys(c.gang, t0);
  cases_.push_back(std::move(c));
}

void World::PlanContacts(const CaseRecord& c, Millis t0,
                         const std::vector<std::string>& used_phones) {
  const Gang& g = gangs_[c.gang];
  const std::string victim_phone = pop_.Phone(c.victim);
  const int32_t ci = static_cast<int32_t>(c.index);
  Millis t = std::max(opt_.start + rng_.Between(0, 60) * kMinute,
                      t0 - rng_.Between(10, 70 * 60) * kMinute);
  truth_targets_.Put(victim_phone)
      .Put(',')
      .Put(pop_.Number(c.victim))
      .Put(',')
      .Put(PadId('G', c.gang + 1, 4));
  truth_targets_.Put(',').Put(PadId('C', c.index + 1, 6)).Put(',').Time(t).Put(",paid\n");
  for (int64_t n = rng_.Between(1, 4); n > 0 && t < t0; --n) {
    const std::string& phone = used_phones[rng_.Below(used_phones.size())];
    AddEvent({t, 0, kCall, "+86" + phone, victim_phone, "", 0, rng_.Between(40, 2400), ci, c.gang});
    t += rng_.Between(2, 600) * kMinute / 4;
  }
  const std::string url =
      "http://" + g.domains[0] + "/pay?id=" + std::to_string(rng_.Between(1, 9999));
  if (rng_.Chance(500))
    AddEvent({std::max(opt_.start, t0 - rng_.Between(5, 90) * kMinute), 0, kSms,
              "+86" + used_phones[0], victim_phone, "您的订单有问题，请点击 " + url + " 处理", 0, 0,
              ci, c.gang});
  AddEvent({std::max(opt_.start, t0 - rng_.Between(1, 30) * kMinute), 0, kVisit, victim_phone, url,
            "", 0, 0, ci, c.gang});
  if (c.category == 3 || c.category == 5)
    AddEvent({std::max(opt_.start, t0 - rng_.Between(30, 600) * kMinute), 0, kAppInstall,
              victim_phone, "http://" + g.domains.back() + "/app.apk", "", 0, 0, ci, c.gang});
}

void World::PlanDecoys(int gang, Millis around) {
  // For every victim who paid, several people were called by the same phones and did not pay: the
  // early-warning screen must find both, and must not flag people who never heard from a gang.
  const Gang& g = gangs_[gang];
  for (int64_t n = rng_.Between(2, 6); n > 0; --n) {
    uint32_t p;
    do p = pop_.hubs() + static_cast<uint32_t>(rng_.Below(pop_.persons() - pop_.hubs()));
    while (reserved_.count(p));
    const Millis t = std::max(opt_.start + rng_.Between(0, 600) * kMinute,
                              around - rng_.Between(-600, 3000) * kMinute);
    const std::string phone = pop_.Phone(p);
    const bool by_sms = rng_.Chance(300);
    AddEvent(
        {t, 0, by_sms ? kSms : kCall, "+86" + g.phones[rng_.Below(g.phones.size())], phone,
         by_sms ? "【退款通知】您购买的商品存在质量问题，点击 http://" + g.domains[0] + " 办理退款"
                : "",
         0, by_sms ? 0 : rng_.Between(5, 600), -1, gang});
    truth_targets_.Put(phone).Put(',').Put(pop_.Number(p)).Put(',').Put(PadId('G', gang + 1, 4));
    truth_targets_.Put(",,").Time(t).Put(",not_paid\n");
  }
}

// ---------------------------------------------------------------------------------------------
// Ordinary life

uint32_t RandomPerson(Rng& rng, const Population& pop) {
  return static_cast<uint32_t>(rng.Below(pop.persons()));
}

void World::Salaries(Millis t, std::vector<Tx>* out) {
  // Employer e pays on day (e % 28) + 1 of the month, at ten in the morning.
  const int64_t local_day = (t + 8 * kHour) / kDay;
  const std::string date = FormatDate(t);
  const int day_of_month = std::stoi(date.substr(8, 2));
  for (uint32_t p = 0; p < pop_.persons(); ++p) {
    const int64_t employer = pop_.EmployerOf(p);
    if (employer < 0 || static_cast<int>(employer % 28) + 1 != day_of_month) continue;
    const Millis when = t + static_cast<Millis>(Hash2(p, local_day) % 3600) * 1000;
    out->push_back({when, seq_++, pop_.SalaryOf(p), static_cast<uint32_t>(employer), p, -1,
                    kTransfer, kSalary, false});
  }
}

void World::OrdinaryHour(int64_t hour, std::vector<Tx>* out) {
  const Millis t0 = opt_.start + hour * kHour;
  const int local_hour = static_cast<int>(((t0 + 8 * kHour) / kHour) % 24);
  if (local_hour == 10) Salaries(t0, out);
  tx_carry_ += ordinary_per_hour_x1000_ * 24 * kHourWeights[local_hour] / kHourWeightSum;
  const int64_t count = tx_carry_ / 1000;
  tx_carry_ %= 1000;
  static constexpr int kMix[] = {26, 42, 8, 4, 5, 4, 6, 5};
  for (int64_t n = 0; n < count; ++n) {
    const Millis t = t0 + static_cast<Millis>(rng_.Below(kHour / 1000)) * 1000;
    const uint32_t me = RandomPerson(rng_, pop_);
    switch (rng_.Weighted(kMix)) {
      case 0: {  // person to person
        uint32_t to = RandomPerson(rng_, pop_);
        if (to == me) to = (to + 1) % pop_.persons();
        const uint8_t memo = rng_.Chance(300) ? kRedPacket : rng_.Chance(100) ? kRepay : kP2p;
        out->push_back({t, seq_++, Scaled(rng_.Spread(30000, 12) / 100 * 100), me, to, -1,
                        kTransfer, memo, false});
        break;
      }
      case 1:  // purchase: a few big merchants take a large share
        out->push_back({t, seq_++, Scaled(rng_.Spread(6000, 12)), me,
                        pop_.merchant(rng_.Skewed(pop_.merchants())), -1, kPurchase, kShopping,
                        false});
        break;
      case 2:  // top up a payment platform
        out->push_back({t, seq_++, Scaled(rng_.Spread(30000, 8) / 100 * 100), me,
                        pop_.platform(rng_.Below(4)), -1, kTransfer, kTopUp, false});
        break;
      case 3:  // payout from a payment platform to a card
        out->push_back({t, seq_++, Scaled(rng_.Spread(20000, 8)), pop_.platform(rng_.Below(4)), me,
                        -1, kTransfer, kPayout, false});
        break;
      case 4:
        out->push_back({t, seq_++, Scaled(rng_.Spread(100000, 6) / 10000 * 10000), me, kNoAccount,
                        -1, kWithdrawal, kCash, false});
        break;
      case 5:
        out->push_back({t, seq_++, Scaled(rng_.Spread(200000, 6) / 10000 * 10000), kNoAccount, me,
                        -1, kDeposit, kCashIn, false});
        break;
      case 6: {  // rent and small business: a few hub accounts receive a lot
        const uint32_t hub = static_cast<uint32_t>(rng_.Below(pop_.hubs()));
        if (hub != me)
          out->push_back({t, seq_++, Scaled(rng_.Spread(150000, 6) / 100 * 100), me, hub, -1,
                          kTransfer, kRent, false});
        break;
      }
      default: {  // small firms pay people for goods and services
        out->push_back({t, seq_++, Scaled(rng_.Spread(300000, 8)),
                        pop_.employer(rng_.Below(pop_.employers())), me, -1, kTransfer, kBusiness,
                        false});
        break;
      }
    }
  }
}

void World::BusyCardsHour(int64_t hour, std::vector<Tx>* out) {
  if (busy_cards_.empty()) return;
  const Millis t0 = opt_.start + hour * kHour;
  const int local_hour = static_cast<int>(((t0 + 8 * kHour) / kHour) % 24);
  busy_carry_ += busy_per_hour_x1000_ * 24 * kHourWeights[local_hour] / kHourWeightSum;
  const int64_t count = busy_carry_ / 1000;
  busy_carry_ %= 1000;
  // Money in and out about balance, so that a busy card neither runs dry nor piles money up: what
  // people and firms pay in, the holder spends mostly in shops, some on people, some in cash.
  static constexpr int kMix[] = {30, 10, 5, 1, 44, 5, 5};
  for (int64_t n = 0; n < count; ++n) {
    const Millis t = t0 + static_cast<Millis>(rng_.Below(kHour / 1000)) * 1000;
    const uint32_t card = busy_cards_[rng_.Below(busy_cards_.size())];
    uint32_t person = RandomPerson(rng_, pop_);
    if (person == card) person = (person + 1) % pop_.persons();
    switch (rng_.Weighted(kMix)) {
      case 0:  // a person pays the card (a sale, a debt, a share of a bill)
        out->push_back({t, seq_++, Scaled(rng_.Spread(40000, 10) / 100 * 100), person, card, -1,
                        kTransfer, kP2p, false});
        break;
      case 1:  // a firm pays for goods or work
        out->push_back({t, seq_++, Scaled(rng_.Spread(300000, 8)),
                        pop_.employer(rng_.Below(pop_.employers())), card, -1, kTransfer, kBusiness,
                        false});
        break;
      case 2:  // a payout from a payment platform
        out->push_back({t, seq_++, Scaled(rng_.Spread(20000, 8)), pop_.platform(rng_.Below(4)),
                        card, -1, kTransfer, kPayout, false});
        break;
      case 3:  // the card pays a person
        out->push_back({t, seq_++, Scaled(rng_.Spread(30000, 10) / 100 * 100), card, person, -1,
                        kTransfer, rng_.Chance(300) ? kRedPacket : kP2p, false});
        break;
      case 4:  // the card pays in a shop
        out->push_back({t, seq_++, Scaled(rng_.Spread(6000, 12)), card,
                        pop_.merchant(rng_.Skewed(pop_.merchants())), -1, kPurchase, kShopping,
                        false});
        break;
      case 5:
        out->push_back({t, seq_++, Scaled(rng_.Spread(100000, 6) / 10000 * 10000), card, kNoAccount,
                        -1, kWithdrawal, kCash, false});
        break;
      default:  // a top-up of a payment platform
        out->push_back({t, seq_++, Scaled(rng_.Spread(30000, 8) / 100 * 100), card,
                        pop_.platform(rng_.Below(4)), -1, kTransfer, kTopUp, false});
        break;
    }
  }
}

void World::OrdinaryEvents(int64_t hour, std::vector<Event>* out) {
  const Millis t0 = opt_.start + hour * kHour;
  const int local_hour = static_cast<int>(((t0 + 8 * kHour) / kHour) % 24);
  ev_carry_ += events_per_hour_x1000_ * 24 * kHourWeights[local_hour] / kHourWeightSum;
  const int64_t count = ev_carry_ / 1000;
  ev_carry_ %= 1000;
  for (int64_t n = 0; n < count; ++n) {
    Event e;
    e.time = t0 + static_cast<Millis>(rng_.Below(kHour / 1000)) * 1000;
    e.seq = seq_++;
    const uint32_t me = RandomPerson(rng_, pop_);
    switch (rng_.Weighted(std::initializer_list<int>{50, 20, 20, 10})) {
      case 0:
        e.kind = kCall;
        e.from = "+86" + pop_.Phone(me);
        e.to = pop_.Phone(RandomPerson(rng_, pop_));
        e.duration_s = rng_.Between(5, 900);
        break;
      case 1:
        e.kind = kSms;
        e.from = std::string(kServiceSenders[rng_.Below(std::size(kServiceSenders))]);
        e.to = pop_.Phone(me);
        e.text = "您尾号" + std::to_string(rng_.Between(1000, 9999)) + "的账户发生一笔交易";
        break;
      case 2:
        e.kind = kPayment;
        e.from = pop_.Number(me);
        e.to = pop_.Number(pop_.merchant(rng_.Skewed(pop_.merchants())));
        e.amount = rng_.Spread(6000, 10);
        break;
      default:
        e.kind = kVisit;
        e.from = pop_.Phone(me);
        e.to = std::string(kNormalSites[rng_.Below(std::size(kNormalSites))]);
        break;
    }
    out->push_back(std::move(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Output

Status World::OpenFiles() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(opt_.out_dir) / "truth", ec);
  if (ec)
    return Status::Io(opt_.out_dir + ": " + ec.message())
        .WithZh(opt_.out_dir + "：无法创建输出目录（" + ec.message() + "）");
  const fs::path dir(opt_.out_dir);
  struct {
    OutFile* f;
    const char* name;
    const char* header;
  } files[] = {
      {&accounts_, "accounts.csv", ""},
      {&transfers_, "transfers.csv", "id,time,from,to,amount,channel,memo\n"},
      {&cases_out_, "cases.jsonl", ""},
      {&events_, "events.jsonl", ""},
      {&truth_cases_, "truth/cases.csv", "case,gang,category,victim_account,loss,first_payment\n"},
      {&truth_gangs_, "truth/gangs.csv", ""},
      {&truth_mules_, "truth/mules.csv", ""},
      {&truth_targets_, "truth/targets.csv", "phone,account,gang,case,first_contact,outcome\n"},
      {&truth_hubs_, "truth/hubs.csv", "kind,value\n"},
      {&truth_accomplices_, "truth/accomplices.csv", ""},
      {&truth_events_, "truth/events.csv", "event,gang,case\n"},
  };
  for (auto& f : files) {
    FANZHA_RETURN_IF_ERROR(f.f->Open((dir / f.name).string()));
    f.f->Put(f.header);
  }
  return Status::Ok();
}

void World::WriteStatementRow(size_t which, const Tx& tx, bool debit) {
  OutFile& f = *statements_[which];
  const uint32_t own = statement_accounts_[which];
  const uint32_t other = debit ? tx.to : tx.from;
  // The payee's bank books the credit a few seconds later under its own serial number.
  const Millis t = debit ? tx.time : tx.time + static_cast<Millis>(Hash2(tx.seq, 7) % 6) * 1000;
  f.Put(PadId('S', ++statement_serial_[which] + 880000 * (which + 1), 12))
      .Put(',')
      .LocalTime(t)
      .Put(',');
  f.Put(pop_.Number(own)).Put(',').Put(debit ? "借" : "贷").Put(',').Money(tx.amount).Put(',');
  f.Money(balance_[own]).Put(',');
  if (other != kNoAccount)
    f.Put(pop_.Number(other))
        .Put(',')
        .Put(pop_.Holder(other))
        .Put(',')
        .Put(pop_.Institution(other));
  else
    f.Put(",,");
  f.Put(',').Put(kMemos[tx.memo]).Put('\n');
}

void World::WriteTx(Tx& tx) {
  // Ordinary people cannot spend what they do not have: trim or skip; fraud flows are written as
  // planned (a mule card may hold less than it sends when its holder spent some: the tracer
  // clamps).
  if (!tx.planned && tx.from != kNoAccount) {
    const int64_t have = balance_[tx.from];
    if (have < tx.amount) {
      tx.amount = have / 2 / 100 * 100;
      if (tx.amount < 1000) return;
    }
  }
  if (tx.from != kNoAccount)
    balance_[tx.from] = std::max<int64_t>(0, balance_[tx.from] - tx.amount);
  if (tx.to != kNoAccount) balance_[tx.to] += tx.amount;
  const std::string id = PadId('T', next_tx_id_++, 10);
  char num[24];
  transfers_.Put(id).Put(',').Time(tx.time).Put(',');
  if (tx.from != kNoAccount) transfers_.Put(std::string_view(num, pop_.NumberTo(tx.from, num)));
  transfers_.Put(',');
  if (tx.to != kNoAccount) transfers_.Put(std::string_view(num, pop_.NumberTo(tx.to, num)));
  transfers_.Put(',')
      .Money(tx.amount)
      .Put(',')
      .Put(kChannelNames[tx.channel])
      .Put(',')
      .Put(kMemos[tx.memo])
      .Put('\n');
  ++summary_.transfers;
  if (tx.planned) ++summary_.fraud_transfers;
  if (tx.slot >= 0) {
    const auto [case_index, n] = slots_[tx.slot];
    CaseRecord& c = cases_[case_index - first_open_case_];
    c.payment_ids[n] = id;
    --c.pending;
  }
  for (size_t s = 0; s < statement_accounts_.size(); ++s) {
    if (tx.from == statement_accounts_[s]) WriteStatementRow(s, tx, true);
    if (tx.to == statement_accounts_[s]) WriteStatementRow(s, tx, false);
  }
}

void World::WriteEvent(const Event& e) {
  const std::string id = PadId('E', next_event_id_++, 10);
  events_.Put("{\"id\":\"").Put(id).Put("\",\"time\":\"").Time(e.time).Put("\",\"kind\":\"");
  events_.Put(kEventKinds[e.kind])
      .Put("\",\"from\":")
      .JsonString(e.from)
      .Put(",\"to\":")
      .JsonString(e.to);
  if (e.kind == kPayment) events_.Put(",\"amount\":\"").Money(e.amount).Put('"');
  if (e.kind == kCall) events_.Put(",\"duration_s\":").Int(e.duration_s);
  if (e.kind == kSms) events_.Put(",\"text\":").JsonString(e.text);
  events_.Put("}\n");
  ++summary_.events;
  if (e.gang >= 0) {
    truth_events_.Put(id).Put(',').Put(PadId('G', e.gang + 1, 4)).Put(',');
    if (e.case_index >= 0) truth_events_.Put(PadId('C', e.case_index + 1, 6));
    truth_events_.Put('\n');
  }
}

void World::WriteCase(const CaseRecord& c) {
  const std::string id = PadId('C', c.index + 1, 6);
  OutFile& o = cases_out_;
  o.Put("{\"id\":\"")
      .Put(id)
      .Put("\",\"reported_at\":\"")
      .Time(c.reported_at)
      .Put("\",\"region\":\"");
  o.Put(Cities()[pop_.CityOf(c.victim)].code)
      .Put("\",\"category\":\"")
      .Put(Categories()[c.category]);
  o.Put("\",\"loss\":\"").Money(c.loss).Put("\",\"narrative\":").JsonString(c.narrative);
  o.Put(",\"victim\":{\"name\":").JsonString(MaskedName(Hash2(c.victim, 11)));
  o.Put(",\"phone\":\"")
      .Put(pop_.Phone(c.victim))
      .Put("\",\"account\":\"")
      .Put(pop_.Number(c.victim))
      .Put("\"}");
  o.Put(",\"transfers\":[");
  for (size_t i = 0; i < c.payment_ids.size(); ++i)
    o.Put(i ? ",\"" : "\"").Put(c.payment_ids[i]).Put('"');
  o.Put("],\"identifiers\":[");
  for (size_t i = 0; i < c.identifiers.size(); ++i) {
    o.Put(i ? ",{\"type\":\"" : "{\"type\":\"").Put(c.identifiers[i].first).Put("\",\"value\":");
    o.JsonString(c.identifiers[i].second).Put('}');
  }
  o.Put("]}\n");
  truth_cases_.Put(id)
      .Put(',')
      .Put(PadId('G', c.gang + 1, 4))
      .Put(',')
      .Put(Categories()[c.category])
      .Put(',');
  truth_cases_.Put(pop_.Number(c.victim))
      .Put(',')
      .Money(c.loss)
      .Put(',')
      .Time(c.first_payment)
      .Put('\n');
  ++summary_.cases;
}

void World::FlushCases(bool all) {
  while (!cases_.empty() && (all || cases_.front().pending == 0)) {
    WriteCase(cases_.front());
    cases_.pop_front();
    ++first_open_case_;
  }
}

Status World::WriteHour(int64_t hour) {
  std::vector<Tx> txs;
  if (auto it = pending_tx_.find(hour); it != pending_tx_.end()) {
    txs = std::move(it->second);
    pending_tx_.erase(it);
  }
  OrdinaryHour(hour, &txs);
  BusyCardsHour(hour, &txs);
  std::sort(txs.begin(), txs.end(), [](const Tx& a, const Tx& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  });
  for (Tx& tx : txs) WriteTx(tx);
  std::vector<Event> evs;
  if (auto it = pending_ev_.find(hour); it != pending_ev_.end()) {
    evs = std::move(it->second);
    pending_ev_.erase(it);
  }
  OrdinaryEvents(hour, &evs);
  std::sort(evs.begin(), evs.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  });
  for (const Event& e : evs) WriteEvent(e);
  FlushCases(false);
  return Status::Ok();
}

Status World::CloseAll() {
  for (OutFile* f :
       {&accounts_, &transfers_, &cases_out_, &events_, &truth_cases_, &truth_gangs_, &truth_mules_,
        &truth_targets_, &truth_hubs_, &truth_accomplices_, &truth_events_})
    FANZHA_RETURN_IF_ERROR(f->Close());
  for (auto& f : statements_) FANZHA_RETURN_IF_ERROR(f->Close());
  return Status::Ok();
}

Status World::Run(const std::function<void(int64_t)>& progress) {
  FANZHA_RETURN_IF_ERROR(OpenFiles());
  total_cases_ = opt_.cases >= 0
                     ? opt_.cases
                     : std::max<int64_t>(20, opt_.transfers / opt_.shape.transfers_per_case);
  MakeGangs(std::max<int64_t>(2, total_cases_ / 15));
  summary_.gangs = static_cast<int64_t>(gangs_.size());
  WriteGangTruth();
  // Hub values: true in every case that reports them, and shared by cases of unrelated gangs.
  hub_values_ = {"95338", "95188", "400-811-1111", "https://weixin.qq.com/",
                 pop_.Number(pop_.merchant(0))};
  for (size_t h = 0; h < hub_values_.size(); ++h)
    truth_hubs_.Put(h < 3 ? "phone," : h == 3 ? "url," : "account,").Put(hub_values_[h]).Put('\n');
  pop_.WriteAccounts(accounts_);
  summary_.accounts = pop_.size();
  for (int s = 0; s < opt_.statements && s < 3; ++s) {
    const uint32_t a = s == 0 ? gangs_[0].mules[kCollection][0] : gangs_[0].mules[kSplit][s - 1];
    statement_accounts_.push_back(a);
    statements_.push_back(std::make_unique<OutFile>());
    FANZHA_RETURN_IF_ERROR(
        statements_.back()->Open(opt_.out_dir + "/流水_" + pop_.Number(a) + ".csv"));
    statements_.back()->Put(
        "交易流水号,交易时间,本方账号,借贷标志,交易金额,余额,对方账号,对方户名,对方开户行,摘要\n");
    statement_serial_.push_back(0);
  }
  summary_.statements = static_cast<int64_t>(statements_.size());
  // Budget: fraud flows take about 30 rows per case (more when wide or deep), busy mule cards
  // their own, salaries about a thirtieth of the rest. About one ordinary payment in eleven is
  // dropped when its payer has run dry, hence 12/11.
  if (opt_.shape.mule_transfers > 0) {
    for (const Gang& g : gangs_)
      for (const auto& layer : g.mules)
        busy_cards_.insert(busy_cards_.end(), layer.begin(), layer.end());
  }
  const int64_t busy = static_cast<int64_t>(busy_cards_.size()) * opt_.shape.mule_transfers;
  busy_per_hour_x1000_ = busy * 1000 / hours_;
  // Extra split cards a part passes through, in thousandths: the sum of chance^k up to the layers.
  int64_t chain_x1000 = 0;
  for (int64_t k = 1, p = opt_.shape.layer_chance; k <= opt_.shape.layers && p > 0;
       ++k, p = p * opt_.shape.layer_chance / 1000)
    chain_x1000 += p;
  // A case makes about 6 parts (2 payments of 3); gen's own shape (chain 0.31) is in the 30.
  const int64_t per_case =
      30 + (opt_.shape.fan_out - 4) * 5 / 2 + std::max<int64_t>(0, chain_x1000 - 312) * 6 / 1000;
  int64_t ordinary =
      std::max<int64_t>(opt_.transfers - total_cases_ * per_case, opt_.transfers / 2) * 12 / 11;
  if (busy > 0)
    ordinary =
        std::max<int64_t>(opt_.transfers - total_cases_ * per_case - busy, opt_.transfers / 5) *
        12 / 11;
  const int64_t salaried_per_day = pop_.persons() * 7 / 10 / 28;
  ordinary_per_hour_x1000_ =
      std::max<int64_t>(0, ordinary * 1000 / hours_ - salaried_per_day * 1000 / 24);
  const int64_t events = opt_.events >= 0 ? opt_.events : opt_.transfers / 5;
  events_per_hour_x1000_ = events * 1000 / hours_;
  for (int64_t hour = 0; hour < hours_; ++hour) {
    const Millis horizon = opt_.start + (hour + 1) * kHour + 72 * kHour;
    while (next_case_ < total_cases_ && FirstPaymentOf(next_case_) < horizon)
      PlanCase(next_case_++);
    FANZHA_RETURN_IF_ERROR(WriteHour(hour));
    if (progress) progress(summary_.transfers);
  }
  FlushCases(true);
  return CloseAll();
}

// ---------------------------------------------------------------------------------------------

Result<GenSummary> GenerateWorld(const GenOptions& options,
                                 const std::function<void(int64_t)>& progress) {
  if (options.out_dir.empty())
    return Status::Invalid("gen: --out is required").WithZh("gen：必须指定 --out");
  if (options.transfers < 1000)
    return Status::Invalid("gen: --transfers must be at least 1000")
        .WithZh("gen：--transfers 至少为 1000");
  if (options.days < 2 || options.days > 3660)
    return Status::Invalid("gen: --days must be 2..3660").WithZh("gen：--days 须在 2 到 3660 之间");
  FANZHA_RETURN_IF_ERROR(IssuersOfFirstBanks(options.banks).status());
  const Shape& shape = options.shape;
  if (shape.accounts != -1 && (shape.accounts < 1500 || shape.accounts > 5'000'000))
    return Status::Invalid("gen: --accounts must be 1500..5000000")
        .WithZh("gen：--accounts 须在 1500 到 5000000 之间");
  if (shape.transfers_per_account < 1 || shape.transfers_per_case < 1)
    return Status::Invalid("gen: transfers per account and per case must be positive")
        .WithZh("gen：每个账户、每个案件的交易数须为正数");
  if (shape.mule_transfers < 0 || shape.mule_transfers > 1'000'000)
    return Status::Invalid("gen: --mule-transfers must be 0..1000000")
        .WithZh("gen：--mule-transfers 须在 0 到 1000000 之间");
  if (shape.fan_out < 2 || shape.fan_out > 1000)
    return Status::Invalid("gen: --fan-out must be 2..1000")
        .WithZh("gen：--fan-out 须在 2 到 1000 之间");
  if (shape.layers < 0 || shape.layers > 100)
    return Status::Invalid("gen: --layers must be 0..100")
        .WithZh("gen：--layers 须在 0 到 100 之间");
  if (shape.layer_chance < 0 || shape.layer_chance > 1000)
    return Status::Invalid("gen: --layer-chance must be 0..1000 (per mille)")
        .WithZh("gen：--layer-chance 须在 0 到 1000（千分比）之间");
  if (shape.amount_percent < 1 || shape.amount_percent > 100'000)
    return Status::Invalid("gen: --amount-percent must be 1..100000")
        .WithZh("gen：--amount-percent 须在 1 到 100000 之间");
  const int64_t persons =
      shape.accounts != -1
          ? shape.accounts
          : std::clamp<int64_t>(options.transfers / shape.transfers_per_account, 1500, 5'000'000);
  auto world = std::make_unique<World>(options, persons);
  FANZHA_RETURN_IF_ERROR(world->Run(progress));
  return world->summary();
}

std::span<const std::string_view> ShapeNames() {
  static constexpr std::string_view kNames[] = {"gen", "busy-mules", "wide", "deep"};
  return kNames;
}

Result<Shape> ShapeNamed(std::string_view name) {
  Shape s;
  if (name == "gen") return s;
  if (name == "busy-mules") {
    s.transfers_per_account = 25;
    s.transfers_per_case = 5000;
    s.mule_transfers = 1500;
    return s;
  }
  if (name == "wide") {
    s.fan_out = 40;
    return s;
  }
  if (name == "deep") {
    s.layers = 12;
    s.layer_chance = 850;
    return s;
  }
  std::string known;
  for (std::string_view n : ShapeNames()) known += (known.empty() ? "" : ", ") + std::string(n);
  return Status::Invalid("gen: unknown shape '" + std::string(name) + "' (one of " + known + ")")
      .WithZh("gen：未知的数据形态“" + std::string(name) + "”（可选：" + known + "）");
}

}  // namespace fanzha::gen
