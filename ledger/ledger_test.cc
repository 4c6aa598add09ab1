#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace fanzha::ledger {
namespace {

Transfer T(std::string id, std::string time, std::string from, std::string to, Fen amount) {
  Transfer t;
  t.id = std::move(id);
  t.time = *ParseTime(time);
  t.from = std::move(from);
  t.to = std::move(to);
  t.amount = amount;
  t.channel = t.to.empty() ? Channel::kWithdrawal : Channel::kTransfer;
  return t;
}

TEST(Ledger, OrdersByTimeThenIdAsBytes) {
  Ledger::Builder b;
  b.AddTransfer(T("T10", "2020-02-08T10:00:00+08:00", "M", "A", 50));
  b.AddTransfer(T("T09", "2020-02-08T10:00:00+08:00", "V", "M", 100));
  b.AddTransfer(T("T11", "2020-02-08T10:00:00+08:00", "M", "A", 80));
  b.AddTransfer(T("T01", "2020-02-08T09:00:00+08:00", "V", "M", 1));
  auto l = b.Build();
  ASSERT_EQ(l->transfer_count(), 4u);
  EXPECT_EQ(l->transfer_id(0), "T01");
  EXPECT_EQ(l->transfer_id(1), "T09");
  EXPECT_EQ(l->transfer_id(2), "T10");
  EXPECT_EQ(l->transfer_id(3), "T11");
  EXPECT_EQ(l->FindTransfer("T10"), 2u);
  EXPECT_FALSE(l->FindTransfer("T99").has_value());
}

TEST(Ledger, UnknownAccountsExistWithZeroBalance) {
  Ledger::Builder b;
  b.AddTransfer(T("T1", "2020-02-08T10:00:00+08:00", "V", "M", 100));
  auto l = b.Build();
  auto m = l->FindAccount("M");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(l->kind(*m), AccountKind::kUnknown);
  EXPECT_EQ(l->opening_balance(*m), 0);
}

TEST(Ledger, BalanceClampsAtZeroAtEachStep) {
  Ledger::Builder b;
  Account m;
  m.id = "M";
  m.opening_balance = 30;
  b.AddAccount(m);
  b.AddTransfer(T("T1", "2020-02-08T10:00:00+08:00", "M", "A", 50));  // 30 -> 0, not -20
  b.AddTransfer(T("T2", "2020-02-08T10:01:00+08:00", "V", "M", 40));  // 0 -> 40
  b.AddTransfer(T("T3", "2020-02-08T10:02:00+08:00", "M", "", 15));   // 40 -> 25
  auto l = b.Build();
  AccountIndex a = *l->FindAccount("M");
  EXPECT_EQ(l->BalanceBefore(a, 0), 30);
  EXPECT_EQ(l->BalanceBefore(a, 1), 0);
  EXPECT_EQ(l->BalanceBefore(a, 2), 40);
  EXPECT_EQ(l->BalanceBefore(a, 3), 25);
}

TEST(Ledger, AdjacencyListsBothSidesInOrder) {
  Ledger::Builder b;
  b.AddTransfer(T("T2", "2020-02-08T10:01:00+08:00", "M", "A", 5));
  b.AddTransfer(T("T1", "2020-02-08T10:00:00+08:00", "V", "M", 10));
  auto l = b.Build();
  AccountIndex m = *l->FindAccount("M");
  std::vector<TransferIndex> adj(l->adjacency_begin(m), l->adjacency_end(m));
  EXPECT_EQ(adj, (std::vector<TransferIndex>{0, 1}));
}

// A ledger with one busy account "M" (opening balance `opening`) and `n` transfers a second apart,
// each drawn from a step of a 64-bit LCG: receipt or payment, and the amount.
template <typename IsReceipt, typename AmountOf>
std::unique_ptr<Ledger> BusyAccount(Fen opening, int n, uint64_t x, IsReceipt is_receipt,
                                    AmountOf amount_of) {
  Ledger::Builder b;
  Account m;
  m.id = "M";
  m.opening_balance = opening;
  b.AddAccount(m);
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    bool in = is_receipt(x);
    Transfer t;
    t.id = "T" + std::to_string(1000 + i);
    t.time = 1581127200000LL + i * 1000;
    t.from = in ? "P" + std::to_string(i % 7) : "M";
    t.to = in ? "M" : "Q" + std::to_string(i % 5);
    t.amount = amount_of(x);
    b.AddTransfer(t);
  }
  return b.Build();
}

TEST(Ledger, CheckpointedBalanceEqualsAPlainReplayOnABusyAccount) {
  auto l = BusyAccount(
      500, 300, 12345, [](uint64_t x) { return (x >> 33) % 3 != 0; },
      [](uint64_t x) { return 1 + static_cast<Fen>((x >> 40) % 900); });
  AccountIndex a = *l->FindAccount("M");
  // Running totals of payments, and the first payment past a limit, against plain sums.
  const TransferIndex* begin = l->adjacency_begin(a);
  const TransferIndex* end = l->adjacency_end(a);
  for (const TransferIndex* from = begin; from <= end; from += 7) {
    Fen before = 0;
    for (const TransferIndex* p = begin; p != from; ++p)
      before += l->to(*p) == a ? 0 : l->amount(*p);
    ASSERT_EQ(l->OutflowBefore(a, from), before);
    for (Fen limit : {Fen{0}, Fen{1}, Fen{450}, Fen{5000}, Fen{40000}, Fen{10000000}}) {
      const TransferIndex* want = from;
      Fen sum = 0;
      for (; want != end; ++want) {
        if (l->to(*want) == a) continue;
        if (sum + l->amount(*want) > limit) break;
        sum += l->amount(*want);
      }
      const TransferIndex t = from == end ? l->transfer_count() : *from;
      const Ledger::Outflow got = l->FirstOutflowBeyond(a, from, limit, l->BalanceBefore(a, t));
      ASSERT_EQ(got.entry, want) << "from " << (from - begin) << " limit " << limit;
      // The running figures it hands back are those the plain functions give.
      EXPECT_EQ(got.paid_before_from, before);
      EXPECT_EQ(got.paid_before_entry, before + sum);
      EXPECT_EQ(got.paid_before_entry, l->OutflowBefore(a, want));
      EXPECT_EQ(got.balance_before, l->BalanceBefore(a, want == end ? l->transfer_count() : *want));
    }
    if (end - from < 7) break;
  }
  Fen plain = 500;
  for (TransferIndex t = 0; t <= l->transfer_count(); ++t) {
    ASSERT_EQ(l->BalanceBefore(a, t), plain) << "before position " << t;
    if (t == l->transfer_count()) break;
    if (l->to(t) == a)
      plain += l->amount(t);
    else
      plain = plain > l->amount(t) ? plain - l->amount(t) : 0;
  }
}

// FirstPaymentOver (lifo and haircut traces jump with it) against a plain scan of the balances,
// from every entry, with floors and ratios that make it pass some blocks whole and stop in others.
TEST(Ledger, FirstPaymentOverEqualsAPlainScan) {
  // Now and then a large payment (and the clamp at 0), mostly small ones.
  auto l = BusyAccount(
      3000, 400, 777, [](uint64_t x) { return (x >> 33) % 2 != 0; },
      [](uint64_t x) {
        return 1 + static_cast<Fen>((x >> 40) % ((x >> 20) % 16 == 0 ? 9000 : 400));
      });
  AccountIndex a = *l->FindAccount("M");
  const TransferIndex* begin = l->adjacency_begin(a);
  const TransferIndex* end = l->adjacency_end(a);
  for (const TransferIndex* from = begin; from <= end; from += 3) {
    for (Fen floor : {Fen{0}, Fen{1}, Fen{700}, Fen{2500}, Fen{6000}}) {
      for (int64_t ratio : {1, 2, 7, 40, 100000}) {
        const TransferIndex* want = from;
        for (; want != end; ++want) {
          if (l->to(*want) == a) continue;
          Fen before = l->BalanceBefore(a, *want);
          if (static_cast<__int128>(ratio) * l->amount(*want) > before - floor) break;
        }
        const TransferIndex past_all = static_cast<TransferIndex>(l->transfer_count());
        Fen balance = l->BalanceBefore(a, from == end ? past_all : *from);
        auto got = l->FirstPaymentOver(a, from, balance, floor, ratio);
        ASSERT_EQ(got.entry, want)
            << "from " << (from - begin) << " floor " << floor << " ratio " << ratio;
        Fen want_balance = l->BalanceBefore(a, want == end ? past_all : *want);
        ASSERT_EQ(got.balance_before, want_balance);
      }
    }
    if (from == end) break;
    if (end - from < 3) from = end - 3;
  }
}

// At the edge: blocks that open with their only payment, so passing a block whole is right for a
// floor one fen lower and wrong for the floor itself.
TEST(Ledger, FirstPaymentOverIsExactAtTheBlockEdge) {
  Ledger::Builder b;
  Account m;
  m.id = "M";
  m.opening_balance = 100000;
  b.AddAccount(m);
  int n = 0;
  for (int block = 0; block < 5; ++block) {
    for (int i = 0; i < 32; ++i, ++n) {
      Transfer t;
      t.id = "T" + std::to_string(1000 + n);
      t.time = 1581127200000LL + n * 1000;
      t.from = i == 0 ? "M" : "P";
      t.to = i == 0 ? "Q" : "M";
      t.amount = i == 0 ? 300 + 100 * block : 2;
      b.AddTransfer(t);
    }
  }
  auto l = b.Build();
  AccountIndex a = *l->FindAccount("M");
  const TransferIndex* begin = l->adjacency_begin(a);
  for (int64_t ratio : {1, 3, 10}) {
    for (int block = 0; block < 4; ++block) {
      const TransferIndex* from = begin + 32 * block;
      Fen balance = l->BalanceBefore(a, *from);
      Fen edge = balance - ratio * l->amount(*from);
      EXPECT_EQ(l->FirstPaymentOver(a, from, balance, edge + 1, ratio).entry, from) << block;
      EXPECT_NE(l->FirstPaymentOver(a, from, balance, edge, ratio).entry, from) << block;
    }
  }
}

TEST(Ledger, AnExtractHoldsTheWholeHistoryOfItsAccountsAndFoldsTheirCounterparties) {
  Ledger::Builder b;
  Account shop;
  shop.id = "SHOP";
  shop.kind = AccountKind::kMerchant;
  b.AddAccount(shop);
  Account m;
  m.id = "M";
  m.opening_balance = 70;
  m.institution = "ICBC";
  b.AddAccount(m);
  b.AddTransfer(T("T1", "2020-02-08T09:00:00+08:00", "V", "M", 100));
  b.AddTransfer(T("T2", "2020-02-08T09:10:00+08:00", "M", "X", 30));
  b.AddTransfer(T("T3", "2020-02-08T09:20:00+08:00", "M", "SHOP", 20));
  b.AddTransfer(T("T4", "2020-02-08T09:30:00+08:00", "X", "Y", 5));  // no account of the extract
  auto l = b.Build();
  std::vector<Transfer> extra = {
      T("N1", "2020-02-08T09:15:00+08:00", "M", "NEW", 10),
      T("T2", "2020-02-08T09:10:00+08:00", "M", "X", 30)};  // known: skipped
  auto e = l->Extract({"M"}, extra, {"V"});
  ASSERT_EQ(e->transfer_count(), 4u);  // T1, T2, N1, T3 in (time, id) order
  EXPECT_EQ(e->transfer_id(2), "N1");
  EXPECT_FALSE(e->FindTransfer("T4").has_value());
  AccountIndex me = *e->FindAccount("M");
  EXPECT_EQ(e->opening_balance(me), 70);
  EXPECT_EQ(e->institution(me), "ICBC");
  EXPECT_EQ(e->BalanceBefore(me, 4), l->BalanceBefore(*l->FindAccount("M"), 4) - 10);  // N1 paid
  EXPECT_EQ(e->account_id(e->from(0)), "V");             // named: kept as itself
  EXPECT_EQ(e->kind(e->to(3)), AccountKind::kMerchant);  // an exit: kept as itself
  EXPECT_EQ(e->account_id(e->to(1)), Ledger::kOthers);   // X
  EXPECT_EQ(e->to(1), e->to(2));                         // X and NEW: the same one account
  EXPECT_EQ(e->account_count(), 4u);                     // M, V, others, SHOP
}

// The compact columns give back exactly what went in, whatever the values: amounts beyond 32 bits,
// times years apart (several time blocks), ids long and short, ascending with positions or not,
// and every account found again after the account table has grown.
TEST(Ledger, CompactColumnsKeepEveryValue) {
  for (bool ascending_ids : {true, false}) {
    Ledger::Builder b;
    std::vector<Transfer> in;
    uint64_t x = 99;
    Millis time = 1262304000000;  // 2010
    for (int i = 0; i < 5000; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      Transfer t;
      const std::string serial = std::to_string(100000 + i);
      t.id = ascending_ids ? "BANK-2010-" + serial : std::to_string(x >> 40) + "-" + serial;
      if (i % 97 == 0) t.id += std::string(40, 'x');  // a long id now and then
      time +=
          (i % 500 == 0) ? Millis{400} * 24 * 3600 * 1000 : static_cast<Millis>((x >> 20) % 600000);
      t.time = time;
      t.from = "A" + std::to_string((x >> 8) % 3000);
      t.to = "B" + std::to_string((x >> 16) % 3000);
      t.amount = i % 50 == 0 ? Fen{5'000'000'000} + i : static_cast<Fen>((x >> 30) % 100000000) + 1;
      if (i % 333 == 0) t.amount = 4294967295;  // exactly the escape value
      t.channel = static_cast<Channel>(i % 4);
      b.AddTransfer(t);
      in.push_back(t);
    }
    auto l = b.Build();
    ASSERT_EQ(l->transfer_count(), in.size());
    std::set<std::string> named;
    for (const Transfer& t : in) named.insert({t.from, t.to});
    EXPECT_EQ(l->account_count(), named.size());
    for (const std::string& a : named) EXPECT_EQ(l->account_id(*l->FindAccount(a)), a);
    for (size_t i = 0; i < in.size(); ++i) {
      // Times only grow here, so position i is transfer i.
      const TransferIndex t = static_cast<TransferIndex>(i);
      ASSERT_EQ(l->transfer_id(t), in[i].id) << i;
      EXPECT_EQ(l->time(t), in[i].time) << i;
      EXPECT_EQ(l->amount(t), in[i].amount) << i;
      EXPECT_EQ(l->channel(t), in[i].channel) << i;
      EXPECT_EQ(l->account_id(l->from(t)), in[i].from);
      EXPECT_EQ(l->account_id(l->to(t)), in[i].to);
      EXPECT_EQ(l->FindTransfer(in[i].id), t) << in[i].id;
      EXPECT_EQ(l->LowerBound(in[i].time), t);
    }
    EXPECT_FALSE(l->FindTransfer("BANK-2010-0").has_value());
    EXPECT_FALSE(l->FindTransfer("zzz").has_value());
    EXPECT_FALSE(l->FindTransfer("").has_value());
    EXPECT_FALSE(l->FindAccount("C1").has_value());
    EXPECT_GT(l->MemoryBytes(), in.size() * 16);
  }
}

// The payment bits, the payees kept beside them and the batched searches agree with the rows.
TEST(Ledger, PaymentsAndBatchedSearchesAgreeWithTheRows) {
  Ledger::Builder b;
  uint64_t x = 7;
  for (int i = 0; i < 4000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    Transfer t;
    t.id = "T" + std::to_string(10000 + i);
    t.time = 1581127200000LL + i * 1000;
    // A busy account M (hundreds of entries, so bit words are crossed) among a few others.
    const std::string other = "P" + std::to_string((x >> 33) % 40);
    const int kind = static_cast<int>((x >> 50) % 4);
    t.from = kind == 0 ? other : "M";
    t.to = kind == 0 ? "M" : other;
    if (kind == 3) t.to.clear(), t.channel = Channel::kWithdrawal;
    t.amount = 100;
    b.AddTransfer(t);
  }
  auto l = b.Build();
  std::vector<AccountIndex> accounts;
  std::vector<TransferIndex> after;
  for (AccountIndex a = 0; a < l->account_count(); ++a) {
    for (TransferIndex p : {TransferIndex{0}, TransferIndex{1}, TransferIndex{1777},
                            TransferIndex{3999}, TransferIndex{4000}}) {
      accounts.push_back(a);
      after.push_back(p);
    }
  }
  std::vector<const TransferIndex*> found(accounts.size());
  l->LowerBounds(accounts.data(), after.data(), accounts.size(), found.data());
  std::vector<const TransferIndex*> first, last;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const AccountIndex a = accounts[i];
    ASSERT_EQ(found[i], std::lower_bound(l->adjacency_begin(a), l->adjacency_end(a), after[i]));
    first.push_back(found[i]);
    last.push_back(l->adjacency_end(a));
  }
  std::vector<std::pair<size_t, TransferIndex>> want, got;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const AccountIndex a = accounts[i];
    std::vector<std::pair<TransferIndex, AccountIndex>> one;
    for (const TransferIndex* p = first[i]; p != last[i]; ++p) {
      EXPECT_EQ(l->IsPayment(p), l->from(*p) == a);
      if (l->from(*p) == a) want.emplace_back(i, *p);
    }
  }
  l->ForEachPaymentIn(first.data(), last.data(), first.size(),
                      [&](size_t i, TransferIndex t, AccountIndex payee) {
                        EXPECT_EQ(payee, l->to(t));
                        EXPECT_EQ(l->from(t), accounts[i]);
                        got.emplace_back(i, t);
                      });
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace fanzha::ledger
