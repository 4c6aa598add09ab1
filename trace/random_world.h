// Random small ledgers for property tests of tracing (test code only).
#pragma once

#include <memory>
#include <random>
#include <vector>

#include "trace/trace.h"

namespace fanzha::trace {

struct RandomWorld {
  std::unique_ptr<ledger::Ledger> ledger;
  std::vector<Account> accounts;  // what the ledger was built from
  std::vector<Transfer> transfers;
  std::vector<Seed> seeds;
};

// How busy a random world is.
struct WorldShape {
  int max_accounts = 15;  // above 15: sparser worlds, where money reaches only some accounts
  int max_transfers = 85;
  // Opening balances up to this; with small amounts, taint stays buried for hundreds of transfers
  // under lifo and is a small fraction of a balance under haircut (the tracer's jumps).
  int64_t max_opening = 50000;
  int64_t max_amount = 30000;
  int seed_payments = 1 << 30;  // after these, victims pay rarely (busy worlds: a few seeds)
};
// A busy shape: a few accounts with hundreds of transfers each (several checkpoint blocks), large
// balances and payments mostly small next to them.
inline WorldShape BusyShape() { return WorldShape{6, 3000, 5000000, 20000, 6}; }

// Victims only pay (their money is the seed); mules and bystanders trade among themselves with ties
// in time, cash withdrawals, deposits, and a few exit accounts.
inline RandomWorld MakeWorld(uint32_t seed_value, const WorldShape& shape) {
  std::mt19937_64 rng(seed_value);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const int accounts = 3 + pick(shape.max_accounts - 3);
  const int victims = 1 + pick(3);
  ledger::Ledger::Builder b;
  RandomWorld w;
  for (int i = 0; i < accounts; ++i) {
    Account a;
    a.id = "A" + std::to_string(i);
    a.kind = pick(8) == 0 ? (pick(2) ? AccountKind::kMerchant : AccountKind::kExchange)
                          : AccountKind::kPersonal;
    a.opening_balance = pick(3) == 0 ? 0 : static_cast<int64_t>(rng() % shape.max_opening);
    b.AddAccount(a);
    w.accounts.push_back(a);
  }
  const int transfers = 5 + pick(shape.max_transfers - 5);
  int victim_payments = 0;
  for (int i = 0; i < transfers; ++i) {
    Transfer t;
    t.id = "T" + std::to_string(pick(1000));  // ids compared as text; duplicates made unique below
    t.id += "_" + std::to_string(i);
    t.time =
        1581127200000LL + 60000LL * pick(shape.max_transfers <= 85 ? 40 : transfers / 2);  // ties
    t.amount = 1 + (pick(4) == 0 ? pick(200) : static_cast<int64_t>(rng() % shape.max_amount));
    int kind = pick(12);
    if (kind == 0) {
      t.from = "A" + std::to_string(pick(accounts));
      t.channel = Channel::kWithdrawal;
    } else if (kind == 1) {
      t.to = "A" + std::to_string(pick(accounts));
      t.channel = Channel::kDeposit;
    } else if ((kind <= 3 && (victim_payments < shape.seed_payments || pick(30) == 0)) ||
               victim_payments == 0) {
      int v = pick(victims);
      t.from = "V" + std::to_string(v);
      t.to = "A" + std::to_string(pick(accounts));
      w.seeds.push_back(Seed{"CASE" + std::to_string(v), t.id, "", 0, 0});
      ++victim_payments;
    } else {
      int from = pick(accounts), to = pick(accounts - 1);
      if (to >= from) ++to;
      t.from = "A" + std::to_string(from);
      t.to = "A" + std::to_string(to);
    }
    b.AddTransfer(t);
    w.transfers.push_back(t);
  }
  if (pick(3) == 0) {
    Seed s{"ADHOC", "", "A" + std::to_string(pick(accounts)), 1 + pick(20000),
           1581127200000LL + 60000LL * pick(40)};
    w.seeds.push_back(s);
  }
  w.ledger = b.Build();
  return w;
}

inline RandomWorld MakeWorld(uint32_t seed_value, int max_accounts = 15) {
  WorldShape shape;
  shape.max_accounts = max_accounts;
  return MakeWorld(seed_value, shape);
}

}  // namespace fanzha::trace
