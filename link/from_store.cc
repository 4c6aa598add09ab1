#include "link/from_store.h"

#include <memory>
#include <unordered_set>

#include "normalise/normalise.h"

namespace fanzha::link {

LinkCase ToLinkCase(const Case& c) {
  LinkCase out;
  out.id = c.id;
  out.reported_at = c.reported_at;
  out.region = c.region;
  out.category = c.category;
  out.loss = c.loss.value_or(0);
  out.narrative = normalise::NormaliseText(c.narrative);
  for (const Identifier& i : c.identifiers) out.identifiers.emplace_back(i.type, i.value);
  return out;
}

CaseMoney MoneyOf(const std::string& case_id, const trace::Answer& answer) {
  CaseMoney m{case_id, answer.seed, {}};
  std::unordered_set<std::string> exits;
  for (const trace::Exit& e : answer.exits) {
    if (e.kind != trace::ExitKind::kHopLimit && e.kind != trace::ExitKind::kWithdrawal) {
      exits.insert(e.account);
    }
  }
  for (const trace::Flow& f : answer.flows) {
    if (!f.to.empty() && !exits.count(f.to)) m.reached.emplace_back(f.to, f.amount);
  }
  return m;
}

namespace {

// The money of every case that lists payments, traced one case at a time.
void TraceCases(const ledger::Ledger& ledger, const std::vector<Case>& cases,
                const trace::Options& options, std::vector<CaseMoney>* money, StoreLinkResult* r) {
  for (const Case& c : cases) {
    if (c.transfers.empty()) continue;
    auto seeds = trace::SeedsOfCase(ledger, c);
    auto answer = seeds.ok() ? trace::Trace(ledger, *seeds, options) : Result<trace::Answer>(seeds.status());
    if (!answer.ok()) {
      ++r->untraced;
      continue;
    }
    money->push_back(MoneyOf(c.id, *answer));
    ++r->traced;
  }
}

}  // namespace

Result<StoreLinkResult> LinkStore(store::Store& store, const StoreLinkOptions& options) {
  std::vector<Case> cases;
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) { cases.push_back(c); }));
  // Merchant, platform and exchange accounts named by cases are shared by unrelated victims.
  auto exits = std::make_shared<std::unordered_set<std::string>>();
  FANZHA_RETURN_IF_ERROR(store.ForEachAccount([&](const Account& a) {
    if (IsExitKind(a.kind)) exits->insert(a.id);
  }));
  Options link_options = options.link;
  link_options.also_generic = [exits](IdentifierType type, std::string_view value) {
    return type == IdentifierType::kAccount && exits->count(std::string(value)) > 0;
  };
  StoreLinkResult r{Linker(link_options)};
  std::vector<CaseMoney> money;
  if (options.money) {
    FANZHA_ASSIGN_OR_RETURN(auto ledger, ledger::Ledger::Load(store));
    TraceCases(*ledger, cases, options.trace, &money, &r);
  }
  std::vector<LinkCase> link_cases;
  link_cases.reserve(cases.size());
  for (const Case& c : cases) link_cases.push_back(ToLinkCase(c));
  cases.clear();
  FANZHA_RETURN_IF_ERROR(r.linker.AddAll(link_cases, money));
  return r;
}

}  // namespace fanzha::link
