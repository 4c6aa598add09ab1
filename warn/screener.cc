#include "warn/screener.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "region/region.h"
#include "warn/hash.h"
#include "warn/keys.h"

namespace fanzha::warn {
namespace {

constexpr Millis kExpiryStep = 3600 * 1000;  // look for ended windows once per hour of event time
constexpr size_t kMaxReasons = 16;

enum class Ev { kCall, kCallOut, kSms, kPhrase, kPattern, kVisit, kApp, kDevice, kPay, kPayAfter };

int DurationPoints(int64_t s) { return s >= 1200 ? 30 : s >= 300 ? 20 : s >= 60 ? 10 : 0; }

int AmountPoints(Fen fen) {
  return fen >= 100000'00 ? 30 : fen >= 10000'00 ? 20 : fen >= 1000'00 ? 10 : 0;
}

std::string WarningId(std::string_view person, Millis start) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "W%016llx",
                static_cast<unsigned long long>(HashKey(person, static_cast<uint64_t>(start))));
  return buf;
}

}  // namespace

struct Screener::Evidence {
  Ev kind;
  Watchlist::Index entry = Watchlist::kNone;
  int points = 0;
  Fen amount = 0;
  std::string reason;
};

struct Screener::State {
  Warning w;
  int contact_points = 0;  // the strongest contact
  int contacts = 0;
  int phrases = 0;
  int pattern_points = 0;
  int pay_points = 0;
  int after_points = 0;
  bool sequence = false;
  int written_score = 0;
};

std::string RegionOfPhone(std::string_view e164) { return region::PhoneRegion(e164); }

const std::vector<std::string>& Partitions() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> codes = {"000000"};
    for (const char* p : {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                          "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                          "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"})
      codes.push_back(std::string(p) + "0000");
    return codes;
  }();
  return all;
}

std::string PartitionOf(std::string_view region) {
  if (region.size() != 6) return "000000";
  std::string province = std::string(region.substr(0, 2)) + "0000";
  const auto& all = Partitions();
  return std::binary_search(all.begin() + 1, all.end(), province) ? province : "000000";
}

Screener::Screener(const Watchlist* list, const SmsMatcher* sms, ScreenOptions options,
                   RegionFn region)
    : list_(list), options_(options), region_(std::move(region)) {
  set_sms(sms);
}

void Screener::set_sms(const SmsMatcher* sms) {
  sms_ = sms;
  scratch_.reset();
  if (!sms_) return;
  auto scratch = sms_->NewScratch();
  if (scratch.ok())
    scratch_ = std::move(scratch).value();
  else
    sms_ = nullptr;  // out of memory for scratch: screen without SMS text
}

void Screener::PeopleOf(const Event& e, std::vector<std::string>* people) {
  people->clear();
  auto add = [&](std::string key) {
    if (!key.empty() && std::find(people->begin(), people->end(), key) == people->end())
      people->push_back(std::move(key));
  };
  std::string key;
  switch (e.kind) {
    case EventKind::kCall:
      PhoneKey(e.from, &key);  // calling a listed phone back
      add(key);
      [[fallthrough]];
    case EventKind::kSms:
      PhoneKey(e.to, &key);
      add(key);
      break;
    case EventKind::kPayment:
      if (e.phone.empty())
        AccountKey(e.from, &key);
      else
        PhoneKey(e.phone, &key);
      add(key);
      break;
    case EventKind::kVisit:
    case EventKind::kAppInstall:
      PhoneKey(e.from, &key);
      add(key);
      break;
  }
}

Screener::~Screener() = default;

bool Screener::Usable(Watchlist::Index i, Millis t) {
  if (i == Watchlist::kNone) return false;
  if (list_->Active(i, t)) return true;
  if (list_->Get(i).hub)
    ++stats_.hub_hits;
  else
    ++stats_.inactive_hits;
  return false;
}

const Warning* Screener::Screen(const Event& e) {
  ++stats_.events;
  emitted_ = nullptr;
  if (e.time > watermark_) {
    watermark_ = e.time;
    if (watermark_ >= next_expiry_) {
      Expire(watermark_);
      next_expiry_ = watermark_ + kExpiryStep;
    }
  }
  switch (e.kind) {
    case EventKind::kCall:
    case EventKind::kSms:
      ScreenCallOrSms(e);
      break;
    case EventKind::kPayment:
      ScreenPayment(e);
      break;
    case EventKind::kVisit:
      ScreenVisit(e);
      break;
    case EventKind::kAppInstall:
      ScreenAppInstall(e);
      break;
  }
  return emitted_;
}

void Screener::Prefetch(const Event& e) {
  switch (e.kind) {
    case EventKind::kCall:
      PhoneKey(e.to, &p1_);
      list_->Prefetch(EntryKind::kPhone, p1_);
      [[fallthrough]];
    case EventKind::kSms:
      PhoneKey(e.from, &p1_);
      list_->Prefetch(EntryKind::kPhone, p1_);
      break;
    case EventKind::kPayment:
      AccountKey(e.to, &p1_);
      list_->Prefetch(EntryKind::kAccount, p1_);
      SocialKey(e.to, &p1_);
      list_->Prefetch(EntryKind::kSocial, p1_);
      break;
    case EventKind::kVisit:
      if (!UrlKey(e.to, &p1_, &p2_)) break;
      list_->Prefetch(EntryKind::kUrl, p1_);
      for (std::string_view host = p2_; !host.empty();) {
        list_->Prefetch(EntryKind::kDomain, host);
        size_t dot = host.find('.');
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
      }
      break;
    case EventKind::kAppInstall:
      break;
  }
}

void Screener::ScreenCallOrSms(const Event& e) {
  const bool call = e.kind == EventKind::kCall;
  PhoneKey(e.from, &k1_);
  Watchlist::Index from = list_->Find(EntryKind::kPhone, k1_);
  auto duration = [&] {
    return call ? " (" + std::to_string(e.duration_s) + " s)" : std::string();
  };
  if (Usable(from, e.time)) {
    PhoneKey(e.to, &k2_);
    int points = call ? 40 + DurationPoints(e.duration_s) : 40;
    Apply(e, k2_,
          {call ? Ev::kCall : Ev::kSms, from, points, 0,
           std::string(call ? "call from listed phone " : "SMS from listed phone ") + k1_ +
               duration()});
  } else if (call) {
    PhoneKey(e.to, &k2_);
    Watchlist::Index to = list_->Find(EntryKind::kPhone, k2_);
    if (Usable(to, e.time)) {
      Apply(e, k1_,
            {Ev::kCallOut, to, 35 + DurationPoints(e.duration_s), 0,
             "call to listed phone " + k2_ + duration()});
    }
  }
  if (!e.device.empty()) {
    Watchlist::Index dev = list_->Find(EntryKind::kDevice, PlainKey(e.device));
    if (Usable(dev, e.time)) {
      PhoneKey(e.to, &k2_);
      Apply(e, k2_, {Ev::kDevice, dev, 40, 0, "contact from listed device " + PlainKey(e.device)});
    }
  }
  if (call || !sms_ || e.text.empty()) return;
  sms_hits_.clear();
  sms_->Match(e.text, scratch_.get(), &sms_hits_);
  if (sms_hits_.empty()) return;
  PhoneKey(e.to, &k2_);
  for (Watchlist::Index i : sms_hits_) {
    if (!Usable(i, e.time)) continue;
    bool phrase = list_->kind(i) == EntryKind::kPhrase;
    std::string what = std::string(list_->category(i).empty() ? "" : list_->category(i)) +
                       (phrase ? " script phrase '" : " pattern '") + std::string(list_->value(i)) +
                       "'";
    Apply(e, k2_,
          {phrase ? Ev::kPhrase : Ev::kPattern, i, phrase ? 15 : 40, 0, "SMS matches " + what});
  }
}

void Screener::ScreenPayment(const Event& e) {
  AccountKey(e.to, &k2_);
  Watchlist::Index to = list_->Find(EntryKind::kAccount, k2_);
  if (to == Watchlist::kNone) {
    SocialKey(e.to, &k2_);
    to = list_->Find(EntryKind::kSocial, k2_);
  }
  if (e.phone.empty())
    AccountKey(e.from, &k1_);
  else
    PhoneKey(e.phone, &k1_);
  if (Usable(to, e.time)) {
    Apply(e, k1_,
          {Ev::kPay, to, 60 + AmountPoints(e.amount), e.amount,
           "payment of " + FormatMoney(e.amount) + " to listed account " + k2_});
    return;
  }
  auto it = people_.find(k1_);
  if (it == people_.end() || it->second->contacts == 0) return;
  if (e.time >= it->second->w.window_end) return;
  AccountKey(e.to, &k2_);
  Apply(e, k1_,
        {Ev::kPayAfter, Watchlist::kNone, 10 + AmountPoints(e.amount), e.amount,
         "payment of " + FormatMoney(e.amount) + " to " + k2_ + " after contact"});
}

void Screener::ScreenVisit(const Event& e) {
  if (!UrlKey(e.to, &k2_, &k3_)) return;
  Watchlist::Index i = list_->Find(EntryKind::kUrl, k2_);
  int points = 45;
  std::string what = "visit of listed URL " + k2_;
  if (i == Watchlist::kNone) {
    i = list_->FindHost(k3_);
    points = 40;
    if (i != Watchlist::kNone)
      what = "visit of " + k2_ + " on listed domain " + std::string(list_->value(i));
  }
  if (!Usable(i, e.time)) return;
  PhoneKey(e.from, &k1_);
  Apply(e, k1_, {Ev::kVisit, i, points, 0, what});
}

void Screener::ScreenAppInstall(const Event& e) {
  Watchlist::Index i = list_->Find(EntryKind::kOther, PlainKey(e.to));
  if (i == Watchlist::kNone && UrlKey(e.to, &k2_, &k3_)) {
    i = list_->Find(EntryKind::kUrl, k2_);
    if (i == Watchlist::kNone) i = list_->FindHost(k3_);
  }
  if (!Usable(i, e.time)) return;
  PhoneKey(e.from, &k1_);
  Apply(e, k1_, {Ev::kApp, i, 40, 0, "install of listed app " + std::string(list_->value(i))});
}

Screener::State& Screener::StateFor(const std::string& person, Millis t) {
  auto [it, added] = people_.try_emplace(person);
  if (!added && t >= it->second->w.window_end) added = true;  // the old window is over
  if (added) {
    it->second = std::make_unique<State>();
    Warning& w = it->second->w;
    w.person = person;
    w.window_start = t;
    w.window_end = t + options_.window;
    w.first_event_at = t;
    w.id = WarningId(person, t);
    w.region = RegionFor(person);
  }
  return *it->second;
}

void AccountRegions::Put(std::string_view account, std::string_view region) {
  if (account.empty() || region.size() != 6) return;
  uint32_t code = 0;
  for (char c : region) {
    if (c < '0' || c > '9') return;
    code = code * 10 + static_cast<uint32_t>(c - '0');
  }
  codes_[std::string(account)] = code;
}

std::string AccountRegions::Find(std::string_view account) const {
  auto it = codes_.find(std::string(account));
  if (it == codes_.end()) return "";
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", it->second);
  return buf;
}

std::string Screener::RegionFor(const std::string& person) {
  if (person.empty()) return "";
  if (person[0] != '+') return account_regions_ ? account_regions_->Find(person) : "";
  // A Chinese mobile's home city is fixed by its first seven digits (its number block).
  bool mobile = person.size() == 14 && person.starts_with("+861");
  if (!mobile) return region_(person);
  auto [it, added] = region_by_block_.try_emplace(person.substr(0, 10));
  if (added) it->second = region_(person);
  return it->second;
}

bool Screener::InPartition(const std::string& person) {
  return partition_.empty() || PartitionOf(RegionFor(person)) == partition_;
}

void Screener::Apply(const Event& e, const std::string& person, const Evidence& ev) {
  if (person.empty() || !InPartition(person)) return;
  ++stats_.hits;
  State& s = StateFor(person, e.time);
  Warning& w = s.w;
  bool new_entry = ev.entry != Watchlist::kNone &&
                   std::find(w.entries.begin(), w.entries.end(), ev.entry) == w.entries.end();
  if (new_entry) w.entries.push_back(ev.entry);
  bool new_event = w.events.empty() || w.events.back() != e.id;
  if (new_event) {
    ++w.event_count;
    if (w.events.size() < options_.max_events) w.events.emplace_back(e.id);
  }
  if (w.reasons.size() < kMaxReasons &&
      std::find(w.reasons.begin(), w.reasons.end(), ev.reason) == w.reasons.end()) {
    w.reasons.push_back(ev.reason);
  }
  w.first_event_at = std::min(w.first_event_at, e.time);
  w.last_event_at = std::max(w.last_event_at, e.time);
  switch (ev.kind) {
    case Ev::kPhrase:
      s.phrases += new_entry;
      break;
    case Ev::kPattern:
      s.pattern_points = std::max(s.pattern_points, ev.points);
      break;
    case Ev::kPay:
      s.sequence |= s.contacts > 0;
      s.pay_points = std::max(s.pay_points, ev.points);
      w.paid += ev.amount;
      break;
    case Ev::kPayAfter:
      s.after_points = std::max(s.after_points, ev.points);
      w.paid += ev.amount;
      break;
    default:
      s.contact_points = std::max(s.contact_points, ev.points);
      s.contacts += new_event;
  }
  if (w.category.empty() && ev.entry != Watchlist::kNone) {
    w.category = std::string(list_->category(ev.entry));
  }
  int score = Score(s);
  if (score < options_.threshold || (score <= s.written_score && !new_entry)) return;
  w.score = score;
  s.written_score = score;
  if (w.revision++ == 0) ++stats_.warnings;
  ++stats_.updates;
  emitted_ = &w;
}

int Screener::Score(const State& s) const {
  int repeat = std::min(30, 10 * std::max(0, s.contacts - 1));
  return s.contact_points + repeat + std::min(30, 15 * s.phrases) + s.pattern_points +
         s.pay_points + (s.sequence ? 20 : 0) + s.after_points;
}

void Screener::Expire(Millis t) {
  std::erase_if(people_, [t](const auto& kv) { return kv.second->w.window_end <= t; });
}

std::string WarningJson(const Warning& w, const Watchlist& list) {
  nlohmann::ordered_json j;
  j["id"] = w.id;
  j["revision"] = w.revision;
  j["person"] = w.person;
  j["region"] = w.region;
  j["score"] = w.score;
  j["category"] = w.category;
  j["reasons"] = w.reasons;
  j["events"] = w.events;
  j["event_count"] = w.event_count;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (Watchlist::Index i : w.entries) {
    Entry e = list.Get(i);
    entries.push_back({{"id", e.id()},
                       {"kind", Name(e.kind)},
                       {"value", e.value},
                       {"source", e.source},
                       {"version", e.version}});
  }
  j["entries"] = std::move(entries);
  j["first_event_at"] = FormatTime(w.first_event_at);
  j["last_event_at"] = FormatTime(w.last_event_at);
  j["window_end"] = FormatTime(w.window_end);
  j["paid"] = FormatMoney(w.paid);
  return DumpJson(j);
}

}  // namespace fanzha::warn
