// Ledger::Extract: the history of a few accounts, with transfers newer than the ledger, as a
// ledger of its own. Built row by row in the ledger's order (no strings per transfer, no sort of
// the rows), since it runs while an investigator waits for a new report's freeze orders.
#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "ledger/build.h"
#include "ledger/ledger.h"

namespace fanzha::ledger {

Account Ledger::AccountOf(AccountIndex a) const {
  Account out;
  out.id = std::string(account_id(a));
  out.institution = institution(a);
  out.region = region(a);
  out.kind = kind(a);
  out.opening_balance = opening_[a];
  return out;
}

namespace {

// The transfers of `extra` to add: touching a wanted account, not in `ledger`, each id once;
// in (time, id) order.
std::vector<const Transfer*> Additions(const Ledger& ledger, const std::vector<Transfer>& extra,
                                       const std::unordered_set<std::string_view>& wanted) {
  std::vector<const Transfer*> out;
  std::unordered_set<std::string_view> ids;
  for (const Transfer& t : extra) {
    if (!wanted.contains(t.from) && !wanted.contains(t.to)) continue;
    if (ledger.FindTransfer(t.id) || !ids.insert(t.id).second) continue;
    out.push_back(&t);
  }
  std::sort(out.begin(), out.end(), [](const Transfer* a, const Transfer* b) {
    return a->time != b->time ? a->time < b->time : a->id < b->id;
  });
  return out;
}

}  // namespace

std::unique_ptr<Ledger> Ledger::Extract(const std::vector<std::string>& accounts,
                                        const std::vector<Transfer>& extra,
                                        const std::vector<std::string>& named) const {
  std::unordered_set<std::string_view> wanted(accounts.begin(), accounts.end());
  std::unordered_set<std::string_view> kept_as_themselves(accounts.begin(), accounts.end());
  kept_as_themselves.insert(named.begin(), named.end());
  // This ledger's transfers of the wanted accounts, in order; one between two of them is listed
  // by both.
  std::vector<TransferIndex> kept;
  for (const std::string& id : accounts) {
    if (std::optional<AccountIndex> a = FindAccount(id)) {
      kept.insert(kept.end(), adjacency_begin(*a), adjacency_end(*a));
    }
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  std::vector<const Transfer*> added = Additions(*this, extra, wanted);

  Builder builder;
  Ledger& out = *builder.ledger_;
  Staging& staged = *builder.staging_;
  std::unordered_map<AccountIndex, AccountIndex> copied;  // index here -> index in `out`
  AccountIndex others = kNoAccount;
  auto keeps = [&](AccountIndex a) {
    return IsExitKind(kind(a)) || kept_as_themselves.contains(account_id(a));
  };
  auto copy = [&](AccountIndex a) {
    if (a == kNoAccount) return kNoAccount;
    auto [it, is_new] = copied.try_emplace(a, 0);
    if (!is_new) return it->second;
    if (!keeps(a)) {
      if (others == kNoAccount) others = builder.Intern(kOthers);
      return it->second = others;
    }
    it->second = builder.Intern(account_id(a));
    out.kind_[it->second] = kind_[a];
    out.opening_[it->second] = opening_[a];
    out.institution_[it->second] = staged.Name(out, institution(a));
    out.region_[it->second] = staged.Name(out, region(a));
    return it->second;
  };
  auto by_name = [&](const std::string& id) {
    if (id.empty()) return kNoAccount;
    if (std::optional<AccountIndex> here = FindAccount(id)) return copy(*here);
    if (kept_as_themselves.contains(id)) return builder.Intern(id);
    if (others == kNoAccount) others = builder.Intern(kOthers);
    return others;
  };
  // Merge the two ordered lists by (time, id); ids differ (added ones are not here).
  staged.Reserve(kept.size() + added.size(), (kept.size() + added.size()) * 12);
  size_t i = 0, j = 0;
  std::string here_id = i < kept.size() ? transfer_id(kept[i]) : "";
  while (i < kept.size() || j < added.size()) {
    bool from_here =
        j == added.size() ||
        (i < kept.size() && std::pair(time(kept[i]), std::string_view(here_id)) <
                                std::pair(added[j]->time, std::string_view(added[j]->id)));
    if (from_here) {
      TransferIndex t = kept[i++];
      staged.Add({time(t), amount(t), copy(from(t)), copy(to(t))}, channel(t), here_id);
      if (i < kept.size()) here_id = transfer_id(kept[i]);
    } else {
      const Transfer& t = *added[j++];
      staged.Add({t.time, t.amount, by_name(t.from), by_name(t.to)}, t.channel, t.id);
    }
  }
  Staging sealed = std::move(staged);
  builder.staging_.reset();
  out.Seal(std::move(sealed), IdOrder::kUnknown);
  return std::move(builder.ledger_);
}

}  // namespace fanzha::ledger
