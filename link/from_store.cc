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

Result<Options> OptionsWithExits(store::Store& store, const Options& base) {
  auto exits = std::make_shared<std::unordered_set<std::string>>();
  FANZHA_RETURN_IF_ERROR(store.ForEachAccount([&](const Account& a) {
    if (IsExitKind(a.kind)) exits->insert(a.id);
  }));
  Options o = base;
  o.also_generic = [exits](IdentifierType type, std::string_view value) {
    return type == IdentifierType::kAccount && exits->count(std::string(value)) > 0;
  };
  return o;
}

Result<CaseTracer> TracerOf(store::Store& store, const StoreLinkOptions& options) {
  if (options.tracer) return options.tracer;
  std::shared_ptr<const ledger::Ledger> ledger;
  FANZHA_ASSIGN_OR_RETURN(ledger, ledger::Ledger::Load(store));
  trace::Options trace_options = options.trace;
  return CaseTracer([ledger, trace_options](const Case& c) -> Result<trace::Answer> {
    FANZHA_ASSIGN_OR_RETURN(auto seeds, trace::SeedsOfCase(*ledger, c));
    return trace::Trace(*ledger, seeds, trace_options);
  });
}

Result<StoreLinkResult> LinkStore(store::Store& store, const StoreLinkOptions& options) {
  std::vector<Case> cases;
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) { cases.push_back(c); }));
  FANZHA_ASSIGN_OR_RETURN(Options link_options, OptionsWithExits(store, options.link));
  StoreLinkResult r{Linker(link_options)};
  std::vector<CaseMoney> money;
  if (options.money) {
    FANZHA_ASSIGN_OR_RETURN(CaseTracer tracer, TracerOf(store, options));
    for (const Case& c : cases) {
      if (c.transfers.empty()) continue;
      Result<trace::Answer> answer = tracer(c);
      if (!answer.ok()) {
        ++r.untraced;
        continue;
      }
      money.push_back(MoneyOf(c.id, *answer));
      ++r.traced;
    }
  }
  std::vector<LinkCase> link_cases;
  link_cases.reserve(cases.size());
  for (const Case& c : cases) link_cases.push_back(ToLinkCase(c));
  cases.clear();
  FANZHA_RETURN_IF_ERROR(r.linker.AddAll(link_cases, money));
  return r;
}

}  // namespace fanzha::link
