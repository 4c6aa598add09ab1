#include "trace/trace.h"

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <unordered_map>

#include "core/names.h"
#include "trace/purse.h"

namespace fanzha::trace {

using ledger::AccountIndex;
using ledger::kNoAccount;
using ledger::Ledger;
using ledger::TransferIndex;

// In enum order (core/names.h).
constexpr std::string_view kPolicyNames[] = {"fifo", "lifo", "haircut", "poison"};
constexpr std::string_view kExitKindNames[] = {"withdrawal", "merchant", "platform", "exchange",
                                               "hop_limit"};

Result<Policy> ParsePolicy(std::string_view name) {
  return ParseName<Policy>(name, kPolicyNames, "policy", "追踪方法");
}

std::string_view Name(Policy p) { return kPolicyNames[static_cast<int>(p)]; }

std::string_view Name(ExitKind k) { return kExitKindNames[static_cast<int>(k)]; }

std::string_view ChineseName(Policy p) {
  constexpr std::string_view kZh[] = {"先进先出", "后进先出", "按比例", "可达性"};
  return kZh[static_cast<size_t>(p)];
}

std::string_view ChineseName(ExitKind k) {
  constexpr std::string_view kZh[] = {"取现", "商户", "支付平台", "交易所", "超出层级"};
  return kZh[static_cast<size_t>(k)];
}

Result<std::vector<Seed>> SeedsOfCase(const Ledger& ledger, const Case& c) {
  if (c.transfers.empty()) {
    return Status::Invalid("case " + c.id +
                           " lists no transfers to trace; give a seed with --account, --amount "
                           "and --at instead")
        .WithZh("案件 " + c.id +
                " 没有列出可追踪的交易：请改用 --account、--amount 和 --at 指定起点");
  }
  std::vector<Seed> seeds;
  std::string missing;
  for (const std::string& id : c.transfers) {
    if (!ledger.FindTransfer(id)) {
      missing += (missing.empty() ? "" : ", ") + id;
      continue;
    }
    Seed s;
    s.origin = c.id;
    s.transfer_id = id;
    seeds.push_back(std::move(s));
  }
  if (!missing.empty()) {
    return Status::NotFound("case " + c.id + ": transfers not in the ledger yet: " + missing +
                            " (import the transfers.csv or statements that contain them)")
        .WithZh("案件 " + c.id + "：以下交易尚未入库：" + missing +
                "（请先导入包含这些交易的 transfers.csv 或银行流水）");
  }
  return seeds;
}

namespace {

// Seeds resolved against the ledger, in the order they take effect.
struct PlacedSeed {
  TransferIndex position;  // the seed transfer, or the first transfer at or after an ad-hoc time
  bool ad_hoc;             // ad-hoc seeds arrive before the transfer at `position`
  AccountIndex account;
  Fen amount;
  int32_t origin;
};

struct Prepared {
  std::vector<std::string> origins;  // sorted ids; origin index = position here
  std::vector<PlacedSeed> seeds;     // sorted by (position, ad-hoc first)
  TransferIndex end;                 // one past the last transfer within the horizon
  Millis until;
};

Result<Prepared> Prepare(const Ledger& ledger, const std::vector<Seed>& seeds,
                         const Options& options) {
  if (options.max_hops < 1)
    return Status::Invalid("--max-hops must be at least 1").WithZh("--max-hops 至少为 1");
  if (options.min_amount < 0)
    return Status::Invalid("--min-amount must not be negative").WithZh("--min-amount 不能为负数");
  if (seeds.empty())
    return Status::Invalid("nothing to trace: no seeds").WithZh("没有可追踪的起点");
  Prepared p;
  for (const Seed& s : seeds) p.origins.push_back(s.origin);
  std::sort(p.origins.begin(), p.origins.end());
  p.origins.erase(std::unique(p.origins.begin(), p.origins.end()), p.origins.end());
  p.until = options.until
                ? *options.until
                : (ledger.transfer_count() ? ledger.time(ledger.transfer_count() - 1) : 0);
  p.end = ledger.LowerBound(p.until + 1);
  std::vector<TransferIndex> seen;  // seed transfers placed so far (a few: no per-transfer array)
  for (const Seed& s : seeds) {
    int32_t origin = static_cast<int32_t>(
        std::lower_bound(p.origins.begin(), p.origins.end(), s.origin) - p.origins.begin());
    PlacedSeed placed{};
    placed.origin = origin;
    if (!s.transfer_id.empty()) {
      auto t = ledger.FindTransfer(s.transfer_id);
      if (!t)
        return Status::NotFound("seed transfer " + s.transfer_id + " is not in the ledger")
            .WithZh("起点交易 " + s.transfer_id + " 不在已导入的流水中");
      if (ledger.to(*t) == kNoAccount) {
        return Status::Invalid("seed transfer " + s.transfer_id + " is a withdrawal: no receiver")
            .WithZh("起点交易 " + s.transfer_id + " 是取现，没有收款账户");
      }
      if (std::find(seen.begin(), seen.end(), *t) != seen.end())
        continue;  // listed twice: one seed
      seen.push_back(*t);
      placed = PlacedSeed{*t, false, ledger.to(*t), ledger.amount(*t), origin};
    } else {
      auto a = ledger.FindAccount(s.account);
      if (!a)
        return Status::NotFound("account " + s.account + " is not in the ledger")
            .WithZh("账户 " + s.account + " 不在已导入的流水中");
      if (s.amount <= 0)
        return Status::Invalid("the seed amount must be positive").WithZh("起点金额须大于 0");
      placed = PlacedSeed{ledger.LowerBound(s.time), true, *a, s.amount, origin};
    }
    if (placed.position >= p.end && !(placed.ad_hoc && placed.position == p.end)) {
      return Status::Invalid("a seed lies after the horizon --until " + FormatTime(p.until))
          .WithZh("有起点晚于追踪截止时间 --until " + FormatTime(p.until));
    }
    p.seeds.push_back(placed);
  }
  std::stable_sort(p.seeds.begin(), p.seeds.end(), [](const PlacedSeed& a, const PlacedSeed& b) {
    return a.position != b.position ? a.position < b.position : a.ad_hoc > b.ad_hoc;
  });
  return p;
}

// What happens to money once it has left a payer: shared by the fast tracer and the full replay,
// so that they differ only in which transfers they visit.
ExitKind ExitKindOf(AccountKind exit_account) {
  return exit_account == AccountKind::kMerchant   ? ExitKind::kMerchant
         : exit_account == AccountKind::kPlatform ? ExitKind::kPlatform
                                                  : ExitKind::kExchange;
}

class Accounting {
 public:
  Accounting(const Ledger& ledger, const Options& options, const Prepared& prepared)
      : ledger_(ledger), options_(options), prepared_(prepared) {
    seed_by_origin_.assign(prepared.origins.size(), 0);
  }

  // Turns the clean parts of a seed transfer into the seed's taint at hop 1.
  void MarkSeed(const PlacedSeed& seed, std::vector<Lot>* parts) {
    for (Lot& part : *parts) {
      if (!part.tainted()) {
        part.origin = seed.origin;
        part.hop = 1;
        part.source = -1;
        seed_by_origin_[seed.origin] += part.amount;
      }
    }
  }
  // Counts an ad-hoc seed. Returns whether its account keeps it: money placed at an exit
  // account has left, like a victim's payment straight to an exit (an exit at hop 1).
  bool AddAdHocSeed(const PlacedSeed& seed) {
    seed_by_origin_[seed.origin] += seed.amount;
    AccountKind kind = ledger_.kind(seed.account);
    if (!IsExitKind(kind)) return true;
    AddExit(seed.account, ExitKindOf(kind), Lot{seed.amount, seed.origin, 1}, 1);
    return false;
  }

  // Applies TRACING.md "Exits and limits" to the parts of transfer t, in order: withdrawal, exit
  // account, hop limit, dust. Returns whether the receiver must keep the parts (it is not an exit).
  bool Route(TransferIndex t, AccountIndex payer, std::vector<Lot>* parts) {
    Fen moved = 0;
    int flow_hop = 0;
    int parent = -1;
    for (const Lot& p : *parts) {
      if (!p.tainted()) continue;
      moved += p.amount;
      if (flow_hop == 0 || p.hop < flow_hop) {
        flow_hop = p.hop;
        parent = p.source;
      }
    }
    const int32_t flow = static_cast<int32_t>(flows_.size());
    if (moved > 0) {
      flow_transfers_.push_back(t);  // named at Finish, all at once (Ledger::TransferIds)
      flows_.push_back(
          Flow{std::string(), payer == kNoAccount ? "" : std::string(ledger_.account_id(payer)),
               ledger_.to(t) == kNoAccount ? "" : std::string(ledger_.account_id(ledger_.to(t))),
               ledger_.time(t), moved, flow_hop, parent});
    }
    AccountIndex to = ledger_.to(t);
    if (to == kNoAccount) {  // cash out: exit at the account it left, at the hop it had there
      for (const Lot& p : *parts) {
        if (p.tainted()) AddExit(payer, ExitKind::kWithdrawal, p, p.hop - 1);
      }
      return false;
    }
    AccountKind kind = ledger_.kind(to);
    if (IsExitKind(kind)) {
      for (const Lot& p : *parts) {
        if (p.tainted()) AddExit(to, ExitKindOf(kind), p, p.hop);
      }
      return false;
    }
    for (Lot& p : *parts) {
      if (!p.tainted()) continue;
      p.source = flow;  // what arrives came by this flow
      if (p.hop > options_.max_hops) {
        AddExit(to, ExitKind::kHopLimit, p, p.hop);
      } else if (p.amount < options_.min_amount) {
        dust_ += p.amount;
      } else {
        continue;
      }
      p.origin = kUntainted;  // arrives, but as clean money
      p.hop = 0;
      p.source = -1;
    }
    return true;
  }

  Answer Finish(const std::vector<std::pair<AccountIndex, const Purse*>>& purses,
                const std::unordered_map<AccountIndex, Millis>& first_tainted, size_t touched) {
    Answer a;
    a.policy = options_.policy;
    a.max_hops = options_.max_hops;
    a.until = prepared_.until;
    a.dust = dust_;
    a.transfers_touched = touched;
    for (size_t o = 0; o < prepared_.origins.size(); ++o) {
      a.seed_by_origin.push_back(OriginAmount{prepared_.origins[o], seed_by_origin_[o]});
      a.seed += seed_by_origin_[o];
    }
    std::vector<std::pair<int32_t, Fen>> taint;
    for (const auto& [account, purse] : purses) {
      if (purse->tainted() <= 0) continue;
      Held h;
      h.account = ledger_.account_id(account);
      h.amount = purse->tainted();
      h.hops = purse->min_tainted_hop();
      auto ft = first_tainted.find(account);
      h.first_tainted_at = ft == first_tainted.end() ? 0 : ft->second;
      taint.clear();
      purse->TaintByOrigin(&taint);
      for (const auto& [o, amount] : taint) h.by_origin.push_back({prepared_.origins[o], amount});
      a.held.push_back(std::move(h));
    }
    std::sort(a.held.begin(), a.held.end(), [](const Held& x, const Held& y) {
      return x.amount != y.amount ? x.amount > y.amount : x.account < y.account;
    });
    for (auto& [key, entry] : exits_) {
      Exit& exit = entry.exit;
      exit.account = ledger_.account_id(key.first);
      const std::vector<Fen>& by_origin = exit_origins_[entry.origins];
      for (size_t o = 0; o < by_origin.size(); ++o) {
        if (by_origin[o] > 0) exit.by_origin.push_back({prepared_.origins[o], by_origin[o]});
      }
      a.exits.push_back(std::move(exit));
    }
    std::sort(a.exits.begin(), a.exits.end(), [](const Exit& x, const Exit& y) {
      return x.account != y.account ? x.account < y.account : x.kind < y.kind;
    });
    std::vector<std::string> ids(flow_transfers_.size());
    ledger_.TransferIds(flow_transfers_.data(), flow_transfers_.size(), ids.data());
    for (size_t i = 0; i < ids.size(); ++i) flows_[i].transfer = std::move(ids[i]);
    a.flows = std::move(flows_);
    return a;
  }

 private:
  // Exits are keyed by account index while tracing (no strings), and named and sorted at Finish.
  struct ExitEntry {
    Exit exit;
    size_t origins;  // index into exit_origins_
  };
  void AddExit(AccountIndex account, ExitKind kind, const Lot& part, int hop) {
    auto [it, added] = exits_.try_emplace(std::make_pair(account, static_cast<int>(kind)));
    Exit& e = it->second.exit;
    if (added) {
      e.kind = kind;
      e.hops = hop;
      it->second.origins = exit_origins_.size();
      exit_origins_.emplace_back(prepared_.origins.size(), 0);
    }
    e.amount += part.amount;
    e.hops = std::min(e.hops, hop);
    exit_origins_[it->second.origins][part.origin] += part.amount;
  }

  const Ledger& ledger_;
  const Options& options_;
  const Prepared& prepared_;
  std::vector<Fen> seed_by_origin_;
  Fen dust_ = 0;
  struct PairHash {
    size_t operator()(const std::pair<AccountIndex, int>& k) const {
      return std::hash<uint64_t>()(static_cast<uint64_t>(k.first) << 8 |
                                   static_cast<uint64_t>(k.second));
    }
  };
  std::unordered_map<std::pair<AccountIndex, int>, ExitEntry, PairHash> exits_;
  std::vector<std::vector<Fen>> exit_origins_;
  std::vector<Flow> flows_;
  std::vector<TransferIndex> flow_transfers_;  // per flow, its transfer
};

// Which accounts hold taint, as a dense array indexed by account with a stamp per trace, so that a
// lookup is one memory access and nothing is cleared between traces. One per thread.
class StateIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  void Begin(size_t accounts) {
    if (entries_.size() < accounts) entries_.resize(accounts, Entry{0, kNone});
    if (++stamp_ == 0) {  // wrapped: forget every old stamp once
      std::fill(entries_.begin(), entries_.end(), Entry{0, kNone});
      stamp_ = 1;
    }
  }
  uint32_t Get(AccountIndex a) const {
    const Entry& e = entries_[a];
    return e.stamp == stamp_ ? e.slot : kNone;
  }
  void Set(AccountIndex a, uint32_t slot) { entries_[a] = Entry{stamp_, slot}; }

 private:
  struct Entry {
    uint32_t stamp;
    uint32_t slot;
  };
  std::vector<Entry> entries_;
  uint32_t stamp_ = 0;
};

// The fast tracer: visits, in order, only the transfers of accounts that hold taint.
class Tracer {
 public:
  Tracer(const Ledger& ledger, const Options& options, const Prepared& prepared)
      : ledger_(ledger),
        options_(options),
        prepared_(prepared),
        accounting_(ledger, options, prepared) {
    index_.Begin(ledger.account_count());
  }

  static StateIndex& ThreadStateIndex() {
    thread_local StateIndex index;
    return index;
  }

  Answer Run() {
    size_t next_seed = 0;
    const auto& seeds = prepared_.seeds;
    for (;;) {
      DropStaleCursors();
      TransferIndex next_event = queue_.empty() ? prepared_.end : queue_.top().position;
      TransferIndex next_seed_at =
          next_seed < seeds.size() ? seeds[next_seed].position : prepared_.end;
      TransferIndex t = std::min(next_event, next_seed_at);
      if (t >= prepared_.end && !(next_seed < seeds.size() && seeds[next_seed].ad_hoc &&
                                  seeds[next_seed].position == prepared_.end)) {
        break;
      }
      const PlacedSeed* transfer_seed = nullptr;
      while (next_seed < seeds.size() && seeds[next_seed].position == t) {
        const PlacedSeed& s = seeds[next_seed++];
        if (s.ad_hoc) {
          if (accounting_.AddAdHocSeed(s)) {
            ArriveAt(s.account, t, {Lot{s.amount, s.origin, 1}}, /*pinned=*/true);
          }
        } else {
          transfer_seed = &s;
        }
      }
      if (t >= prepared_.end) break;
      DropStaleCursors();  // an ad-hoc seed above may have scheduled its account at t
      bool due = !queue_.empty() && queue_.top().position == t;
      if (transfer_seed || due) ProcessTransfer(t, transfer_seed);
      // Every account that was waiting for t has been settled past it: schedule its next visit.
      while (!queue_.empty() && queue_.top().position <= t) {
        Cursor c = queue_.top();
        queue_.pop();
        State* st = Find(c.account);
        if (!st || st->generation != c.generation || st->scheduled != c.position) continue;
        st->scheduled = kNever;
        Schedule(c.account, *st);
      }
    }
    std::vector<std::pair<AccountIndex, const Purse*>> purses;
    for (const State& st : slots_) {
      if (st.live) purses.emplace_back(st.account, &st.purse);
    }
    return accounting_.Finish(purses, first_tainted_, touched_);
  }

 private:
  static constexpr TransferIndex kNever = UINT32_MAX;

  struct State {
    Purse purse;
    const TransferIndex* settled;  // the account's first transfer not yet applied to the purse
    TransferIndex scheduled;       // position of its one live cursor in the queue, or kNever
    const TransferIndex* scheduled_entry;  // its entry in the account's adjacency
    Fen balance_at_scheduled;  // the ledger's balance before `scheduled` when known, else -1
    // fifo: the account's payments summed before `settled` (kept as `settled` moves) and before
    // `scheduled` (as NextVisit found it); -1 when not known. So that a visit replays nothing.
    Fen paid_at_settled;
    Fen paid_at_scheduled;
    uint32_t generation;
    bool pinned;  // holds an ad-hoc seed: its balance differs from the ledger's, so keep it
    bool live;    // false: the slot is free for reuse
    AccountIndex account;
  };
  struct Cursor {
    TransferIndex position;
    AccountIndex account;
    uint32_t generation;
    bool operator>(const Cursor& o) const { return position > o.position; }
  };

  void DropStaleCursors() {
    while (!queue_.empty()) {
      const Cursor& c = queue_.top();
      const State* st = Find(c.account);
      if (st && st->generation == c.generation && st->scheduled == c.position) return;
      queue_.pop();
    }
  }

  void ProcessTransfer(TransferIndex t, const PlacedSeed* seed) {
    ++touched_;
    AccountIndex payer = ledger_.from(t);
    AccountIndex payee = ledger_.to(t);
    parts_.clear();
    State* payer_state = payer == kNoAccount ? nullptr : Find(payer);
    if (payer_state) {
      CatchUp(payer, *payer_state, t);
      payer_state->purse.Take(ledger_.amount(t), &parts_);
      SettlePast(*payer_state, payer, t);
    } else {
      parts_.push_back(Lot{ledger_.amount(t), kUntainted, 0});
    }
    if (seed) accounting_.MarkSeed(*seed, &parts_);
    bool keep = accounting_.Route(t, payer, &parts_);
    if (keep && payee != kNoAccount) ArriveAt(payee, t, parts_, false);
    if (payer_state && !MaybeForget(payer, *payer_state)) Schedule(payer, *payer_state);
  }

  // Money arrives at `account` at position t (a transfer, or an ad-hoc seed just before it).
  void ArriveAt(AccountIndex account, TransferIndex t, const std::vector<Lot>& parts, bool pinned) {
    State* st = Find(account);
    if (!st) {
      bool any_taint =
          std::any_of(parts.begin(), parts.end(), [](const Lot& l) { return l.tainted(); });
      if (!any_taint) return;
      Fen prior = ledger_.BalanceBefore(account, t);
      const TransferIndex* settled =
          std::lower_bound(ledger_.adjacency_begin(account), ledger_.adjacency_end(account), t);
      st = Join(account, Purse(options_.policy, prior), settled, pinned);
      first_tainted_.emplace(account,
                             t < ledger_.transfer_count() ? ledger_.time(t) : prepared_.until);
    } else {
      CatchUp(account, *st, t);
    }
    st->pinned |= pinned;
    for (const Lot& l : parts) st->purse.Add(l);
    // An arrival by transfer t is the account's own record of t; an ad-hoc seed comes before t.
    if (!pinned) SettlePast(*st, account, t);
    Schedule(account, *st);
  }

  // Whether the account's transfers may be jumped over between visits: those that move only
  // clean money are applied in one step (CatchUp) when the account is next touched, and only the
  // payment that can move taint is visited (Schedule). Needs the purse's balance to equal the
  // ledger's, so not for accounts holding an ad-hoc seed; poison moves taint with every payment.
  bool Jumps(const State& st) const { return options_.policy != Policy::kPoison && !st.pinned; }

  // Applies the account's transfers from st.settled up to (not including) position t.
  void CatchUp(AccountIndex account, State& st, TransferIndex t) {
    if (!Jumps(st)) return;
    // At the visit Schedule found, its entry is known, and under lifo and haircut the balance.
    const bool visit = st.scheduled == t;
    const TransferIndex* until =
        visit ? st.scheduled_entry
              : std::lower_bound(st.settled, ledger_.adjacency_end(account), t);
    if (until == st.settled) return;
    Fen balance = visit && st.balance_at_scheduled >= 0 ? st.balance_at_scheduled
                                                        : ledger_.BalanceBefore(account, t);
    if (options_.policy == Policy::kFifo) {  // fifo needs what was paid and received apart
      const Fen paid_before_until = visit && st.paid_at_scheduled >= 0
                                        ? st.paid_at_scheduled
                                        : ledger_.OutflowBefore(account, until);
      const Fen paid_before_settled =
          st.paid_at_settled >= 0 ? st.paid_at_settled : ledger_.OutflowBefore(account, st.settled);
      const Fen paid = paid_before_until - paid_before_settled;
      st.purse.MoveClean(paid, balance - st.purse.balance() + paid);
      st.paid_at_settled = paid_before_until;
    } else {
      Fen net = balance - st.purse.balance();
      st.purse.MoveClean(net < 0 ? -net : 0, net > 0 ? net : 0);
    }
    st.settled = until;
  }

  // The account's next transfer that may move taint (TRACING.md's policies, exactly):
  // - fifo: receipts only add behind the taint, so the first payment by which the payments since
  //   add up to more than the clean money ahead of the taint;
  // - lifo: receipts add on top, so the first payment larger than the clean money above the
  //   newest taint is then, i.e. that takes the balance below the money under it;
  // - haircut: a payment of N fen from a balance W holding taint T moves none when 2NT <= W (each
  //   tainted group's share is below half a fen and the clean money's remainder wins the one fen
  //   left over, or ties and comes first), so the first payment with 2NT > W.
  // Sets st.balance_at_scheduled to the balance before it when known (-1 otherwise).
  const TransferIndex* NextVisit(AccountIndex account, State& st) const {
    st.balance_at_scheduled = -1;
    st.paid_at_scheduled = -1;
    if (!Jumps(st)) return st.settled;
    const Purse& purse = st.purse;
    ledger::Ledger::Payment next{};
    switch (options_.policy) {
      case Policy::kFifo: {
        const ledger::Ledger::Outflow out = ledger_.FirstOutflowBeyond(
            account, st.settled, purse.clean_front(), purse.balance(), st.paid_at_settled);
        st.balance_at_scheduled = out.balance_before;
        st.paid_at_settled = out.paid_before_from;
        st.paid_at_scheduled = out.paid_before_entry;
        return out.entry;
      }
      case Policy::kLifo:
        next = ledger_.FirstPaymentOver(account, st.settled, purse.balance(),
                                        purse.balance() - purse.clean_back(), 1);
        break;
      case Policy::kHaircut:
        next =
            ledger_.FirstPaymentOver(account, st.settled, purse.balance(), 0, 2 * purse.tainted());
        break;
      case Policy::kPoison:
        return st.settled;
    }
    st.balance_at_scheduled = next.balance_before;
    return next.entry;
  }

  void SettlePast(State& st, AccountIndex account, TransferIndex t) {
    while (st.settled != ledger_.adjacency_end(account) && *st.settled <= t) {
      if (st.paid_at_settled >= 0 && ledger_.IsPayment(st.settled))
        st.paid_at_settled += ledger_.amount(*st.settled);
      ++st.settled;
    }
  }

  // Puts the account's next needed visit in the queue (at most one live cursor per account).
  void Schedule(AccountIndex account, State& st) {
    const TransferIndex* next = NextVisit(account, st);
    TransferIndex position = next == ledger_.adjacency_end(account) ? kNever : *next;
    if (position >= prepared_.end) position = kNever;
    st.scheduled_entry = next;
    if (position == st.scheduled) return;
    st.scheduled = position;
    if (position != kNever) queue_.push(Cursor{position, account, st.generation});
  }

  // An account that holds no more taint behaves like any other: stop visiting its transfers.
  // Returns whether it was forgotten.
  bool MaybeForget(AccountIndex account, State& st) {
    if (options_.policy == Policy::kPoison || st.pinned || st.purse.tainted() != 0) return false;
    st.live = false;
    free_slots_.push_back(index_.Get(account));
    index_.Set(account, StateIndex::kNone);
    return true;
  }

  State* Find(AccountIndex account) {
    uint32_t slot = index_.Get(account);
    return slot == StateIndex::kNone ? nullptr : &slots_[slot];
  }

  State* Join(AccountIndex account, Purse purse, const TransferIndex* settled, bool pinned) {
    uint32_t slot;
    State st{std::move(purse), settled, kNever, nullptr, -1, -1, -1,
             ++generation_,    pinned,  true,   account};
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
      slots_[slot] = std::move(st);
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.push_back(std::move(st));
    }
    index_.Set(account, slot);
    return &slots_[slot];
  }

  const Ledger& ledger_;
  const Options& options_;
  const Prepared& prepared_;
  Accounting accounting_;
  std::deque<State> slots_;  // a deque: State pointers stay valid while it grows
  std::vector<uint32_t> free_slots_;
  StateIndex& index_ = ThreadStateIndex();
  std::unordered_map<AccountIndex, Millis> first_tainted_;
  std::priority_queue<Cursor, std::vector<Cursor>, std::greater<Cursor>> queue_;
  std::vector<Lot> parts_;
  std::vector<Lot> scratch_;
  uint32_t generation_ = 0;
  size_t touched_ = 0;
};

}  // namespace

Result<Answer> Trace(const Ledger& ledger, const std::vector<Seed>& seeds, const Options& options) {
  FANZHA_ASSIGN_OR_RETURN(Prepared prepared, Prepare(ledger, seeds, options));
  return Tracer(ledger, options, prepared).Run();
}

Result<Answer> TraceByFullReplay(const Ledger& ledger, const std::vector<Seed>& seeds,
                                 const Options& options) {
  FANZHA_ASSIGN_OR_RETURN(Prepared prepared, Prepare(ledger, seeds, options));
  Accounting accounting(ledger, options, prepared);
  // Every account has a purse from the start, holding its opening balance.
  std::vector<std::unique_ptr<Purse>> purses(ledger.account_count());
  for (AccountIndex a = 0; a < ledger.account_count(); ++a) {
    purses[a] = std::make_unique<Purse>(options.policy, ledger.opening_balance(a));
  }
  std::unordered_map<AccountIndex, Millis> first_tainted;
  auto arrive = [&](AccountIndex a, Millis when, const std::vector<Lot>& parts) {
    for (const Lot& l : parts) {
      if (l.tainted()) first_tainted.emplace(a, when);
      purses[a]->Add(l);
    }
  };
  size_t s = 0;
  std::vector<Lot> parts;
  for (TransferIndex t = 0; t <= prepared.end; ++t) {
    const PlacedSeed* transfer_seed = nullptr;
    for (; s < prepared.seeds.size() && prepared.seeds[s].position == t; ++s) {
      const PlacedSeed& seed = prepared.seeds[s];
      if (!seed.ad_hoc) {
        transfer_seed = &seed;
        continue;
      }
      if (!accounting.AddAdHocSeed(seed)) continue;
      arrive(seed.account, t < ledger.transfer_count() ? ledger.time(t) : prepared.until,
             {Lot{seed.amount, seed.origin, 1}});
    }
    if (t == prepared.end) break;
    parts.clear();
    AccountIndex payer = ledger.from(t);
    if (payer != kNoAccount) {
      purses[payer]->Take(ledger.amount(t), &parts);
    } else {
      parts.push_back(Lot{ledger.amount(t), kUntainted, 0});
    }
    if (transfer_seed) accounting.MarkSeed(*transfer_seed, &parts);
    if (accounting.Route(t, payer, &parts) && ledger.to(t) != kNoAccount) {
      arrive(ledger.to(t), ledger.time(t), parts);
    }
  }
  std::vector<std::pair<AccountIndex, const Purse*>> view;
  for (AccountIndex a = 0; a < ledger.account_count(); ++a) view.emplace_back(a, purses[a].get());
  return accounting.Finish(view, first_tainted, prepared.end);
}

std::vector<Held> MixedAccounts(const Answer& answer) {
  std::vector<Held> mixed;
  for (const Held& h : answer.held) {
    if (h.by_origin.size() > 1) mixed.push_back(h);
  }
  return mixed;
}

nlohmann::ordered_json ToJson(const Answer& a, const std::string& case_id,
                              std::optional<size_t> flows_limit) {
  using json = nlohmann::ordered_json;
  bool several = a.seed_by_origin.size() > 1;
  auto by_case = [](const std::vector<OriginAmount>& v) {
    json arr = json::array();
    for (const auto& o : v) arr.push_back({{"case", o.origin}, {"amount", FormatMoney(o.amount)}});
    return arr;
  };
  json doc;
  doc["case"] = case_id.empty() ? json(nullptr) : json(case_id);
  if (several) {
    json cases = json::array();
    for (const auto& o : a.seed_by_origin) cases.push_back(o.origin);
    doc["cases"] = cases;
  }
  doc["policy"] = Name(a.policy);
  doc["max_hops"] = a.max_hops;
  doc["seed"] = FormatMoney(a.seed);
  doc["until"] = FormatTime(a.until);
  json held = json::array();
  for (const Held& h : a.held) {
    json j = {{"account", h.account},
              {"amount", FormatMoney(h.amount)},
              {"hops", h.hops},
              {"first_tainted_at", FormatTime(h.first_tainted_at)}};
    if (several) j["by_case"] = by_case(h.by_origin);
    held.push_back(std::move(j));
  }
  doc["held"] = std::move(held);
  json exits = json::array();
  for (const Exit& e : a.exits) {
    json j = {{"account", e.account},
              {"kind", Name(e.kind)},
              {"amount", FormatMoney(e.amount)},
              {"hops", e.hops}};
    if (several) j["by_case"] = by_case(e.by_origin);
    exits.push_back(std::move(j));
  }
  doc["exits"] = std::move(exits);
  doc["dust"] = FormatMoney(a.dust);
  // Which flows to show: all, or the largest `flows_limit`.
  std::vector<bool> shown(a.flows.size(), !flows_limit || *flows_limit >= a.flows.size());
  if (!shown.empty() && !shown[0]) {
    std::vector<size_t> order(a.flows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::nth_element(order.begin(), order.begin() + static_cast<ptrdiff_t>(*flows_limit),
                     order.end(), [&](size_t x, size_t y) {
                       return a.flows[x].amount != a.flows[y].amount
                                  ? a.flows[x].amount > a.flows[y].amount
                                  : x < y;
                     });
    for (size_t k = 0; k < *flows_limit; ++k) shown[order[k]] = true;
  }
  json flows = json::array();
  size_t omitted = 0;
  Fen omitted_amount = 0;
  for (size_t i = 0; i < a.flows.size(); ++i) {
    const Flow& f = a.flows[i];
    if (!shown[i]) {
      ++omitted;
      omitted_amount += f.amount;
      continue;
    }
    flows.push_back({{"transfer", f.transfer},
                     {"from", f.from},
                     {"to", f.to},
                     {"time", FormatTime(f.time)},
                     {"amount", FormatMoney(f.amount)},
                     {"hops", f.hops}});
  }
  doc["flows"] = std::move(flows);
  if (flows_limit) {
    doc["flows_limit"] = *flows_limit;
    doc["flows_omitted"] = {{"count", omitted}, {"amount", FormatMoney(omitted_amount)}};
  }
  return doc;
}

}  // namespace fanzha::trace
