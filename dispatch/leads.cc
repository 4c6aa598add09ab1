// Leads from the store: link the cases, trace their money once, and address each cluster.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "ledger/ledger.h"
#include "region/region.h"
#include "trace/trace.h"

namespace fanzha::dispatch {
namespace {

// What one case's trace says about where the suspects are.
struct CaseTrail {
  std::vector<std::pair<std::string, Fen>> cash_out;  // withdrawal exits
  std::vector<std::pair<std::string, Fen>> held;      // where the money is now
  Fen held_total = 0;
};

struct Gathered {
  std::vector<Case> cases;
  std::unordered_map<std::string, size_t> index;  // case id -> position in cases
  std::unordered_map<std::string, CaseTrail> trails;
  std::map<std::string, Fen> frozen;  // case id -> frozen by its orders (freeze::OrderBook)
  std::unique_ptr<ledger::Ledger> ledger;
};

CaseTrail TrailOf(const trace::Answer& a) {
  CaseTrail t;
  for (const trace::Exit& e : a.exits) {
    if (e.kind == trace::ExitKind::kWithdrawal) t.cash_out.emplace_back(e.account, e.amount);
  }
  for (const trace::Held& h : a.held) {
    t.held.emplace_back(h.account, h.amount);
    t.held_total += h.amount;
  }
  return t;
}

// Traces every case with payments once: its CaseMoney for linking and its trail for the lead.
void TraceAll(Gathered& g, const trace::Options& options, std::vector<link::CaseMoney>* money) {
  for (const Case& c : g.cases) {
    if (c.transfers.empty()) continue;
    auto seeds = trace::SeedsOfCase(*g.ledger, c);
    if (!seeds.ok()) continue;
    auto answer = trace::Trace(*g.ledger, *seeds, options);
    if (!answer.ok()) continue;
    money->push_back(link::MoneyOf(c.id, *answer));
    g.trails[c.id] = TrailOf(*answer);
  }
}

// Links as link::LinkStore does (exit accounts named by cases are generic), with the same traces.
Result<link::Linker> LinkCases(store::Store& store, Gathered& g, const link::StoreLinkOptions& o) {
  FANZHA_ASSIGN_OR_RETURN(link::Options lo, link::OptionsWithExits(store, o.link));
  link::Linker linker(lo);
  std::vector<link::CaseMoney> money;
  if (o.money) TraceAll(g, o.trace, &money);
  std::vector<link::LinkCase> lc;
  lc.reserve(g.cases.size());
  for (const Case& c : g.cases) lc.push_back(link::ToLinkCase(c));
  FANZHA_RETURN_IF_ERROR(linker.AddAll(lc, money));
  return linker;
}

using HubSet = std::set<std::pair<std::string, std::string>>;

Signal AccountSignal(const ledger::Ledger& ledger, SignalKind kind, const std::string& account,
                     const Weights& w) {
  Signal s{kind, account, "", w.Of(kind), ""};
  auto a = ledger.FindAccount(account);
  if (a) s.region = CityLevel(ledger.region(*a));
  const char* what =
      kind == SignalKind::kCashOut ? "took the money out as cash" : "holds the victims' money";
  s.explanation = "account " + account + " " + what + "; opened in " +
                  (s.region.empty() ? std::string("an unknown region")
                                    : region::RegionTable::Builtin().DisplayName(s.region) + " (" +
                                          s.region + ")");
  return s;
}

Signal PhoneSignal(const std::string& phone, const Weights& w) {
  Signal s{SignalKind::kPhone, phone, region::PhoneRegion(phone), w.phone, ""};
  s.region = s.region.empty() ? "" : CityLevel(s.region);
  s.explanation = "suspect phone " + phone +
                  (s.region.empty() ? std::string(" has no known city")
                                    : " is registered in " +
                                          region::RegionTable::Builtin().DisplayName(s.region) +
                                          " (" + s.region + ")");
  return s;
}

// The signals and identifiers of a group of cases.
void AddEvidenceOfCases(const Gathered& g, const HubSet& hubs, const Weights& w, Lead* lead,
                        std::vector<Signal>* signals) {
  std::set<std::pair<std::string, std::string>> ids;
  std::set<std::string> phones, cash, held;
  std::map<std::string, int> categories;
  std::set<std::string> regions;
  for (const std::string& id : lead->cases) {
    const Case& c = g.cases[g.index.at(id)];
    lead->loss += c.loss.value_or(0);
    if (!c.region.empty()) regions.insert(c.region);
    ++categories[c.category];
    for (const Identifier& i : c.identifiers) {
      std::pair<std::string, std::string> key{std::string(Name(i.type)), i.value};
      if (hubs.count(key) || i.value.empty()) continue;
      ids.insert(key);
      if (i.type == IdentifierType::kPhone && i.valid) phones.insert(i.value);
    }
    if (auto f = g.frozen.find(id); f != g.frozen.end()) lead->frozen += f->second;
    auto t = g.trails.find(id);
    if (t == g.trails.end()) continue;
    lead->held += t->second.held_total;
    for (const auto& [acc, fen] : t->second.cash_out)
      cash.insert(acc), ids.insert({"account", acc});
    for (const auto& [acc, fen] : t->second.held) held.insert(acc), ids.insert({"account", acc});
  }
  lead->identifiers.assign(ids.begin(), ids.end());
  lead->regions.assign(regions.begin(), regions.end());
  int best = 0;
  for (const auto& [cat, n] : categories) {
    if (n > best) lead->category = cat, best = n;
  }
  for (const std::string& p : phones) signals->push_back(PhoneSignal(p, w));
  for (const std::string& a : cash) {
    signals->push_back(AccountSignal(*g.ledger, SignalKind::kCashOut, a, w));
  }
  for (const std::string& a : held) {
    if (!cash.count(a)) signals->push_back(AccountSignal(*g.ledger, SignalKind::kLastLayer, a, w));
  }
}

Lead MakeLead(const Gathered& g, const HubSet& hubs, const Weights& w,
              std::vector<std::string> cases, std::vector<link::Evidence> evidence) {
  Lead lead;
  lead.cases = std::move(cases);
  lead.evidence = std::move(evidence);
  std::vector<Signal> signals;
  AddEvidenceOfCases(g, hubs, w, &lead, &signals);
  lead.jurisdiction = Decide(std::move(signals), lead.regions);
  return lead;
}

}  // namespace

Result<std::vector<Lead>> MakeLeads(store::Store& store, const LeadOptions& options) {
  Gathered g;
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) {
    g.index[c.id] = g.cases.size();
    g.cases.push_back(c);
  }));
  FANZHA_ASSIGN_OR_RETURN(g.frozen, freeze::OrderBook(store.sql()).FrozenByCase());
  FANZHA_ASSIGN_OR_RETURN(g.ledger, ledger::Ledger::Load(store));
  FANZHA_ASSIGN_OR_RETURN(link::Linker linker, LinkCases(store, g, options.link));
  link::Answer answer = linker.Clusters();
  HubSet hubs;
  for (const link::Hub& h : answer.hubs) hubs.insert({h.kind, h.value});
  std::vector<Lead> leads;
  std::unordered_set<std::string> clustered;
  for (link::Cluster& c : answer.clusters) {
    for (const std::string& id : c.cases) clustered.insert(id);
    leads.push_back(MakeLead(g, hubs, options.weights, c.cases, std::move(c.evidence)));
  }
  if (options.singles) {
    for (const Case& c : g.cases) {
      if (clustered.count(c.id)) continue;
      Lead lead = MakeLead(g, hubs, options.weights, {c.id}, {});
      if (!lead.identifiers.empty()) leads.push_back(std::move(lead));
    }
  }
  std::sort(leads.begin(), leads.end(),
            [](const Lead& a, const Lead& b) { return a.cases.front() < b.cases.front(); });
  return leads;
}

nlohmann::ordered_json ToJson(const Lead& lead) {
  using Json = nlohmann::ordered_json;
  Json ids = Json::array();
  for (const auto& [type, value] : lead.identifiers)
    ids.push_back({{"type", type}, {"value", value}});
  Json evidence = Json::array();
  for (const link::Evidence& e : lead.evidence) {
    evidence.push_back(
        {{"kind", e.kind}, {"value", e.value}, {"cases", e.cases}, {"weight", e.weight}});
  }
  const Jurisdiction& j = lead.jurisdiction;
  Json signals = Json::array();
  for (const Signal& s : j.signals) {
    signals.push_back({{"kind", Name(s.kind)},
                       {"value", s.value},
                       {"region", s.region},
                       {"weight", s.weight},
                       {"explanation", s.explanation}});
  }
  Json disagreement = Json::array();
  for (const auto& [code, w] : j.disagreement) {
    disagreement.push_back({{"region", code},
                            {"name", region::RegionTable::Builtin().DisplayName(code)},
                            {"weight", w}});
  }
  return {{"cases", lead.cases},
          {"regions", lead.regions},
          {"category", lead.category},
          {"loss", FormatMoney(lead.loss)},
          {"held", FormatMoney(lead.held)},
          {"frozen", FormatMoney(lead.frozen)},
          {"identifiers", ids},
          {"evidence", evidence},
          {"jurisdiction",
           {{"code", j.code},
            {"name", j.name},
            {"score", j.score},
            {"total", j.total},
            {"basis", j.basis},
            {"signals", signals},
            {"disagreement", disagreement}}}};
}

}  // namespace fanzha::dispatch
