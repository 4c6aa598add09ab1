// Ledger::Extract: the history of a few accounts, with transfers newer than the ledger, as a
// ledger of its own.
#include <algorithm>
#include <unordered_set>

#include "ledger/ledger.h"

namespace fanzha::ledger {

Account Ledger::AccountOf(AccountIndex a) const {
  Account out;
  out.id = std::string(account_id(a));
  out.institution = institution_[a];
  out.region = region_[a];
  out.kind = kind(a);
  out.opening_balance = opening_[a];
  return out;
}

std::unique_ptr<Ledger> Ledger::Extract(const std::vector<std::string>& accounts,
                                        const std::vector<Transfer>& extra) const {
  Builder builder;
  std::unordered_set<std::string_view> wanted(accounts.begin(), accounts.end());
  std::unordered_set<std::string> named;  // every account a kept transfer names
  auto name = [&](const std::string& id) {
    if (!id.empty()) named.insert(id);
  };

  // This ledger's transfers of the wanted accounts; one between two of them is listed by both.
  std::vector<TransferIndex> kept;
  for (const std::string& id : accounts) {
    std::optional<AccountIndex> a = FindAccount(id);
    if (!a) continue;
    kept.insert(kept.end(), adjacency_begin(*a), adjacency_end(*a));
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  for (TransferIndex t : kept) {
    Transfer tr;
    tr.id = std::string(transfer_id(t));
    tr.time = time(t);
    tr.amount = amount(t);
    tr.channel = channel(t);
    if (from(t) != kNoAccount) tr.from = std::string(account_id(from(t)));
    if (to(t) != kNoAccount) tr.to = std::string(account_id(to(t)));
    name(tr.from);
    name(tr.to);
    builder.AddTransfer(tr);
  }

  std::unordered_set<std::string_view> extra_ids;
  for (const Transfer& t : extra) {
    if (!wanted.contains(t.from) && !wanted.contains(t.to)) continue;
    if (FindTransfer(t.id) || !extra_ids.insert(t.id).second) continue;
    name(t.from);
    name(t.to);
    builder.AddTransfer(t);
  }

  for (const std::string& id : named) {
    std::optional<AccountIndex> a = FindAccount(id);
    if (a) builder.AddAccount(AccountOf(*a));
  }
  return builder.Build();
}

}  // namespace fanzha::ledger
