#include "trace/case_ledger.h"

#include <algorithm>
#include <unordered_set>

namespace fanzha::trace {

using ledger::Ledger;

namespace {

// The transfers of `extra` that `ledger` does not hold yet, each id once.
std::vector<Transfer> NewTransfers(const Ledger& ledger, const std::vector<Transfer>& extra) {
  std::vector<Transfer> out;
  std::unordered_set<std::string_view> seen;
  for (const Transfer& t : extra) {
    if (!ledger.FindTransfer(t.id) && seen.insert(t.id).second) out.push_back(t);
  }
  return out;
}

Millis EndOfData(const Ledger& ledger, const std::vector<Transfer>& extra) {
  Millis end = ledger.transfer_count() ? ledger.time(ledger.transfer_count() - 1) : 0;
  for (const Transfer& t : extra) end = std::max(end, t.time);
  return end;
}

// The accounts at both ends of the case's listed transfers, wherever the transfers are.
struct SeedEnds {
  std::vector<std::string> payers;  // the victims: named as themselves in an extract
  std::vector<std::string> payees;  // where the money first arrived
};
SeedEnds EndsOfSeeds(const Ledger& ledger, const std::vector<Transfer>& fresh, const Case& c) {
  SeedEnds out;
  auto add = [](std::vector<std::string>* to, std::string_view account) {
    if (!account.empty()) to->emplace_back(account);
  };
  auto name = [&ledger](ledger::AccountIndex a) {
    return a == ledger::kNoAccount ? std::string_view() : ledger.account_id(a);
  };
  for (const std::string& id : c.transfers) {
    if (auto t = ledger.FindTransfer(id)) {
      add(&out.payers, name(ledger.from(*t)));
      add(&out.payees, name(ledger.to(*t)));
    }
    for (const Transfer& t : fresh) {
      if (t.id != id) continue;
      add(&out.payers, t.from);
      add(&out.payees, t.to);
    }
  }
  return out;
}

// The payee of a transfer, here or new (an extract names it only as Ledger::kOthers).
std::string PayeeOf(const Ledger& ledger, const std::vector<Transfer>& fresh, std::string_view id) {
  if (auto t = ledger.FindTransfer(id); t && ledger.to(*t) != ledger::kNoAccount) {
    return std::string(ledger.account_id(ledger.to(*t)));
  }
  for (const Transfer& t : fresh) {
    if (t.id == id) return t.to;
  }
  return "";
}

// Accounts whose history the answer depends on: every account that received the case's money,
// except exits (money stops there; their history does not matter and can be long). `on` is the
// ledger traced, `ledger` the whole one.
std::unordered_set<std::string> AccountsReached(const Ledger& on, const Ledger& ledger,
                                                const std::vector<Transfer>& fresh, const Answer& a,
                                                const std::vector<std::string>& seed_payees) {
  std::unordered_set<std::string> out(seed_payees.begin(), seed_payees.end());
  for (const Flow& f : a.flows) {
    if (f.to.empty()) continue;
    if (f.to == Ledger::kOthers) {  // money went where the extract kept no history: get it
      if (std::string payee = PayeeOf(ledger, fresh, f.transfer); !payee.empty()) out.insert(payee);
      continue;
    }
    std::optional<ledger::AccountIndex> i = on.FindAccount(f.to);
    if (i && IsExitKind(on.kind(*i))) continue;
    out.insert(f.to);
  }
  for (const Held& h : a.held) {
    if (h.account != Ledger::kOthers) out.insert(h.account);
  }
  return out;
}

// The case's seeds as the ledger can take them: its old transfers as they are, a new one as an
// ad-hoc seed of the same amount at the same time at its payee (when the ledger knows the payee).
std::vector<Seed> SeedsNearlyAsPaid(const Ledger& ledger, const std::vector<Transfer>& fresh,
                                    const Case& c) {
  std::vector<Seed> out;
  for (const std::string& id : c.transfers) {
    if (ledger.FindTransfer(id)) {
      out.push_back(Seed{c.id, id, "", 0, 0});
      continue;
    }
    for (const Transfer& t : fresh) {
      if (t.id == id && !t.to.empty() && ledger.FindAccount(t.to)) {
        out.push_back(Seed{c.id, "", t.to, t.amount, t.time});
      }
    }
  }
  return out;
}

bool Touches(const std::vector<Transfer>& fresh, const std::unordered_set<std::string>& accounts) {
  return std::any_of(fresh.begin(), fresh.end(), [&](const Transfer& t) {
    return accounts.contains(t.from) || accounts.contains(t.to);
  });
}

}  // namespace

Result<CaseLedger> LedgerForCase(std::shared_ptr<const Ledger> ledger,
                                 const std::vector<Transfer>& extra, const Case& c,
                                 const Options& options) {
  CaseLedger out{ledger, options};
  std::vector<Transfer> fresh = NewTransfers(*ledger, extra);
  if (fresh.empty()) return out;
  if (!out.options.until) out.options.until = EndOfData(*ledger, fresh);
  const SeedEnds ends = EndsOfSeeds(*ledger, fresh, c);
  const std::vector<std::string>& payees = ends.payees;

  std::unordered_set<std::string> accounts(payees.begin(), payees.end());
  if (Result<std::vector<Seed>> seeds = SeedsOfCase(*ledger, c); seeds.ok()) {
    // All seeds are old: the new transfers matter only if they touch an account the money reached.
    FANZHA_ASSIGN_OR_RETURN(Answer a, Trace(*ledger, *seeds, out.options));
    accounts = AccountsReached(*ledger, *ledger, fresh, a, payees);
    if (!Touches(fresh, accounts)) return out;
  } else if (std::vector<Seed> near = SeedsNearlyAsPaid(*ledger, fresh, c); !near.empty()) {
    // A first guess at the accounts the money reaches, so that the loop below does not find
    // them one hop per round.
    if (Result<Answer> a = Trace(*ledger, near, out.options); a.ok()) {
      for (const std::string& id : AccountsReached(*ledger, *ledger, fresh, *a, payees))
        accounts.insert(id);
    }
  }
  // Grow the set of accounts with whole histories until the money reaches no account outside
  // it: then every account the trace reads is whole, and so is the answer.
  for (;;) {
    std::shared_ptr<const Ledger> part = ledger->Extract(
        std::vector<std::string>(accounts.begin(), accounts.end()), fresh, ends.payers);
    FANZHA_ASSIGN_OR_RETURN(std::vector<Seed> seeds, SeedsOfCase(*part, c));
    FANZHA_ASSIGN_OR_RETURN(Answer a, Trace(*part, seeds, out.options));
    size_t before = accounts.size();
    for (const std::string& id : AccountsReached(*part, *ledger, fresh, a, payees))
      accounts.insert(id);
    if (accounts.size() == before) {
      out.ledger = std::move(part);
      return out;
    }
  }
}

}  // namespace fanzha::trace
