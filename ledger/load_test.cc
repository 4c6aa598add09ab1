// Ledger::Load (the store's fast scan, sorts skipped or on two threads) against Ledger::Builder.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "ledger/ledger.h"
#include "store/store.h"
#include "tests/support/postgres_server.h"

namespace fanzha::ledger {
namespace {

std::string TempStore(const std::string& name) {
  std::string path =
      (std::filesystem::temp_directory_path() / ("ledger_load_" + name + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix);
  return path;
}

void ExpectSameLedger(const Ledger& a, const Ledger& b) {
  ASSERT_EQ(a.transfer_count(), b.transfer_count());
  ASSERT_EQ(a.account_count(), b.account_count());
  for (TransferIndex t = 0; t < a.transfer_count(); ++t) {
    ASSERT_EQ(a.transfer_id(t), b.transfer_id(t)) << t;
    EXPECT_EQ(a.time(t), b.time(t));
    EXPECT_EQ(a.amount(t), b.amount(t));
    EXPECT_EQ(a.channel(t), b.channel(t));
    auto name = [](const Ledger& l, AccountIndex x) {
      return x == kNoAccount ? std::string_view() : l.account_id(x);
    };
    EXPECT_EQ(name(a, a.from(t)), name(b, b.from(t)));
    EXPECT_EQ(name(a, a.to(t)), name(b, b.to(t)));
    EXPECT_EQ(b.FindTransfer(a.transfer_id(t)), t);
  }
  EXPECT_FALSE(b.FindTransfer("no such id").has_value());
  for (AccountIndex x = 0; x < a.account_count(); ++x) {
    auto y = b.FindAccount(a.account_id(x));
    ASSERT_TRUE(y.has_value());
    EXPECT_EQ(a.kind(x), b.kind(*y));
    EXPECT_EQ(a.opening_balance(x), b.opening_balance(*y));
    EXPECT_EQ(a.institution(x), b.institution(*y));
    EXPECT_EQ(std::distance(a.adjacency_begin(x), a.adjacency_end(x)),
              std::distance(b.adjacency_begin(*y), b.adjacency_end(*y)));
    EXPECT_TRUE(std::equal(a.adjacency_begin(x), a.adjacency_end(x), b.adjacency_begin(*y)));
    EXPECT_EQ(a.BalanceBefore(x, static_cast<TransferIndex>(a.transfer_count())),
              b.BalanceBefore(*y, static_cast<TransferIndex>(b.transfer_count())));
  }
}

// `shuffled`: ids and times in random storage order; otherwise stored in (time, id) order.
void CheckLoadMatchesBuilder(const std::string& name, int n, bool shuffled) {
  std::mt19937 rng(n + shuffled);
  std::vector<Transfer> transfers;
  for (int i = 0; i < n; ++i) {
    Transfer t;
    t.id = "T" + std::to_string(100000 + i);
    t.time = 1580486400000 + i / 3 * 1000;  // runs of equal times, ordered by id
    int from = static_cast<int>(rng() % 50), to = (from + 1 + static_cast<int>(rng() % 49)) % 50;
    t.from = "A" + std::to_string(from);
    t.to = "A" + std::to_string(to);
    if (i % 17 == 0) t.from.clear(), t.channel = Channel::kDeposit;
    if (i % 19 == 0 && !t.from.empty()) t.to.clear(), t.channel = Channel::kWithdrawal;
    t.amount = 1 + static_cast<Fen>(rng() % 100000);
    transfers.push_back(t);
  }
  if (shuffled) {
    std::shuffle(transfers.begin(), transfers.end(), rng);
    for (auto& t : transfers)
      t.id = "X" + std::to_string(rng() % 1000000) + t.id;  // id order != time order
  }
  auto store = store::Store::Open(test_support::StoreLocation(TempStore(name)));
  ASSERT_TRUE(store.ok());
  Ledger::Builder builder;
  {
    auto imp = (*store)->BeginImport();
    ASSERT_TRUE(imp.ok());
    for (int a = 0; a < 50; a += 3) {
      Account acc;
      acc.id = "A" + std::to_string(a);
      acc.kind = a % 2 ? AccountKind::kPersonal : AccountKind::kMerchant;
      acc.opening_balance = a * 100;
      acc.institution = "bank " + std::to_string(a % 4);
      ASSERT_TRUE((*imp)->PutAccount(acc).ok());
      builder.AddAccount(acc);
    }
    for (const auto& t : transfers) {
      ASSERT_TRUE((*imp)->PutTransfer(t).ok());
      builder.AddTransfer(t);
    }
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  auto loaded = Ledger::Load(**store);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ExpectSameLedger(*builder.Build(), **loaded);
}

TEST(LedgerLoad, StoredInOrderMatchesTheBuilder) {
  CheckLoadMatchesBuilder("ordered", 3000, false);
}
TEST(LedgerLoad, ShuffledMatchesTheBuilder) {
  CheckLoadMatchesBuilder("shuffled_small", 3000, true);
}
// Large enough that the sorts run on two threads.
TEST(LedgerLoad, ShuffledLargeMatchesTheBuilder) {
  CheckLoadMatchesBuilder("shuffled_large", 150000, true);
}

TEST(LedgerLoad, EmptyStore) {
  auto store = store::Store::Open(test_support::StoreLocation(TempStore("empty")));
  ASSERT_TRUE(store.ok());
  auto loaded = Ledger::Load(**store);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->transfer_count(), 0u);
}

// The server loads a new ledger on a second connection while reports keep adding transfers to
// new accounts: each load sees one consistent state of the store, whatever it misses.
TEST(LedgerLoad, LoadsWhileAnotherConnectionWrites) {
  std::string path = TempStore("concurrent");
  {
    auto store = std::move(store::Store::Open(test_support::StoreLocation(path))).value();
    auto imp = std::move(store->BeginImport()).value();
    for (int i = 0; i < 60000; ++i) {
      ASSERT_TRUE(
          imp->PutTransfer({"T" + std::to_string(i), 1580486400000 + i,
                            "A" + std::to_string(i % 5000), "A" + std::to_string((i + 1) % 5000),
                            100, Channel::kTransfer, "", "", ""})
              .ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  std::atomic<bool> done{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto store = std::move(store::Store::Open(test_support::StoreLocation(path))).value();
    for (int i = 0; !done; ++i) {
      auto imp = std::move(store->BeginImport()).value();
      // A new payee each time: an account the loader's account scan may not have seen.
      ASSERT_TRUE(imp->PutTransfer({"N" + std::to_string(i), 1590000000000 + i, "A1",
                                    "NEW" + std::to_string(i), 1, Channel::kTransfer, "", "", ""})
                      .ok());
      ASSERT_TRUE(imp->Commit().ok());
      imp.reset();
      ++written;
    }
  });
  auto reader = std::move(store::Store::Open(test_support::StoreLocation(path))).value();
  size_t last = 0;
  for (int round = 0; round < 8; ++round) {
    auto loaded = Ledger::Load(*reader);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_GE((*loaded)->transfer_count(), last);
    last = (*loaded)->transfer_count();
  }
  done = true;
  writer.join();
  EXPECT_GT(written.load(), 0);
}

}  // namespace
}  // namespace fanzha::ledger
