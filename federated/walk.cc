#include "federated/walk.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "app/audited.h"
#include "import/import.h"
#include "interchange/platform.h"
#include "ledger/ledger.h"

namespace fanzha::federated {
namespace {

using interchange::StatementQuery;

// The stand-in for an account's history before its statement window: an id no normalised account
// number can have (as ledger::Ledger::kOthers).
constexpr std::string_view kBefore =
    "\x01"
    "before:";
std::string StandIn(std::string_view account) {
  return std::string(kBefore) + std::string(account);
}
std::string RealAccount(std::string_view id) {
  return std::string(id.starts_with(kBefore) ? id.substr(kBefore.size()) : id);
}

struct Window {
  Millis from = 0, to = 0;  // [from, to)
};

// Where the run of `covered` windows that starts at or before `from` ends without a gap: `from`
// itself when none covers it.
Millis CoveredUntil(Millis from, std::vector<Window> covered) {
  std::sort(covered.begin(), covered.end(),
            [](const Window& a, const Window& b) { return a.from < b.from; });
  Millis at = from;
  for (const Window& c : covered) {
    if (c.from > at) break;
    at = std::max(at, c.to);
  }
  return at;
}

// A busy account's window is asked in pieces, all at once, rather than part after part: at most
// this many (the last takes what is left, and its own answer says where to go on).
constexpr size_t kMostPieces = 32;

// `w` cut into pieces `step` long (the span of the account's last part, which held as many
// postings as the bank gives in one answer), or whole when `step` is 0 or `w` no longer.
std::vector<Window> Pieces(Window w, Millis step) {
  if (step <= 0 || w.to - w.from <= step) return {w};
  std::vector<Window> out;
  for (Millis at = w.from; at < w.to; at += step) {
    if (out.size() + 1 == kMostPieces) {
      out.push_back({at, w.to});
      break;
    }
    out.push_back({at, std::min(w.to, at + step)});
  }
  return out;
}

// The traced money that moved in and out of one account, from a trace's flows.
struct Moves {
  Fen in = 0;
  Millis last_in = 0;
  std::vector<std::pair<Millis, Fen>> out;  // (time, amount)

  // Whether every fen of taint that came in had left before `at`, with none arriving from then
  // on: the account's postings from `at` cannot move the taint (fifo, lifo and haircut take taint
  // only from an account that holds it), so its statement is not needed beyond `at`.
  bool DrainedBefore(Millis at) const {
    if (last_in >= at) return false;
    Fen left = 0;
    for (const auto& [time, amount] : out)
      if (time < at) left += amount;
    return left >= in;
  }
};

// The parts of `need` that none of `covered` covers, in time order.
std::vector<Window> Uncovered(Window need, std::vector<Window> covered) {
  std::sort(covered.begin(), covered.end(),
            [](const Window& a, const Window& b) { return a.from < b.from; });
  std::vector<Window> out;
  Millis at = need.from;
  for (const Window& c : covered) {
    if (at >= need.to || c.from >= need.to) break;
    if (c.to <= at) continue;
    if (c.from > at) out.push_back({at, c.from});
    at = std::max(at, c.to);
  }
  if (at < need.to) out.push_back({at, need.to});
  return out;
}

// What the store holds of one account's statement queries (of any case: a statement is a fact of
// the account, whoever asked for it).
struct AccountStatements {
  std::vector<StatementQuery> queries;  // the others point into these
  std::vector<Window> answered, waiting, refused;
  std::vector<bool> answered_in_part;  // of each answered window: the bank left the rest out
  std::vector<const StatementQuery*> waiting_queries, refused_queries;
  const StatementQuery* first = nullptr;  // the answered query whose window starts earliest
};

Millis SteadyMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

class Walker {
 public:
  Walker(store::Store& store, Case c, Courier& courier, const Options& options)
      : store_(store),
        case_(std::move(c)),
        courier_(courier),
        options_(options),
        clock_(options.clock ? *options.clock : SystemClock()),
        until_(options.trace.until ? *options.trace.until : clock_.Now()),
        started_(SteadyMillis()) {}

  Result<Answer> Run() {
    for (const std::string& id : case_.transfers) FANZHA_RETURN_IF_ERROR(LoadTransfer(id));
    Answer answer;
    Progress& p = answer.progress;
    std::unique_ptr<ledger::Ledger> ledger;
    for (;;) {
      FANZHA_RETURN_IF_ERROR(LoadQueries());
      // A round: the ledger of what the walk knows, traced. Only when an answer brought something
      // new: the courier also wakes the walk for answers that change nothing it knows (a pending
      // answer, a stop-payment's, another walk's), and a round costs what the walk knows.
      const bool round = !ledger || answers_read_;
      if (round) {
        answers_read_ = false;
        FANZHA_ASSIGN_OR_RETURN(ledger, BuildLedger());
        FANZHA_ASSIGN_OR_RETURN(std::vector<trace::Seed> seeds, trace::SeedsOfCase(*ledger, case_));
        trace::Options trace_options = options_.trace;
        trace_options.until = until_;
        FANZHA_ASSIGN_OR_RETURN(answer.trace, trace::Trace(*ledger, seeds, trace_options));
        ++p.round;
        p.transfers_known = ledger->transfer_count();
      }
      answer.gaps.clear();
      FANZHA_ASSIGN_OR_RETURN(int64_t asked, AskForMissing(answer.trace, *ledger, &answer));
      p.elapsed_ms = SteadyMillis() - started_;
      if (round && options_.on_round) {
        trace::Answer named = answer.trace;
        NameRealAccounts(&named);
        options_.on_round(p, named, *ledger);
      }
      if (answers_read_) continue;  // stored statements of accounts just reached: trace again
      if (asked > 0 && !Stopped()) {
        FANZHA_RETURN_IF_ERROR(courier_.Send());
        courier_.Await(kPoll);
        continue;
      }
      if (p.waiting == 0 || p.late == p.waiting || Stopped()) break;
      FANZHA_RETURN_IF_ERROR(courier_.Send());  // what is still unsent (a bank that was away)
      courier_.Await(kPoll);
    }
    NameRealAccounts(&answer.trace);
    answer.audit_head = audit_head_;
    return answer;
  }

 private:
  static constexpr Millis kPoll = 100;

  bool Stopped() const { return options_.stop && options_.stop->load(); }

  Status LoadTransfer(const std::string& id) {
    if (transfers_.count(id)) return Status::Ok();
    FANZHA_ASSIGN_OR_RETURN(std::optional<Transfer> t, store_.GetTransfer(id));
    if (!t) {
      return Status::NotFound("transfer " + id + " of case " + case_.id + " is not stored")
          .WithZh("案件 " + case_.id + " 的转账 " + id + " 未入库");
    }
    if (t->currency != "CNY") return Status::Ok();  // the ledger follows yuan
    for (const std::string* account : {&t->from, &t->to})
      if (!account->empty()) met_.insert(*account);
    transfers_.emplace(id, std::move(*t));
    return Status::Ok();
  }

  // Reads again the statement queries that may have changed (the walk asked, or waits for an
  // answer), and the transfers of answered ones not read yet.
  Status LoadQueries() {
    std::set<std::string> changed(fresh_.begin(), fresh_.end());
    fresh_.clear();
    for (const auto& [account, s] : statements_)
      if (!s.waiting.empty()) changed.insert(account);
    return ReadQueries(std::vector<std::string>(changed.begin(), changed.end()));
  }

  // Reads the statement queries of `accounts` and the transfers of answered ones not read yet.
  // Only of accounts the money reaches: the stored statements of an account it does not reach
  // cannot change the trace, and a store that has gathered many walks' statements would otherwise
  // make every walk read the busy accounts its money merely touches, and their counterparties'.
  Status ReadQueries(const std::vector<std::string>& accounts) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<std::vector<StatementQuery>> queries,
                            interchange::ListStatementQueries(store_.sql(), accounts));
    for (size_t i = 0; i < accounts.size(); ++i)
      FANZHA_RETURN_IF_ERROR(Summarise(accounts[i], std::move(queries[i])));
    return Status::Ok();
  }

  // One account's queries, as the walk needs them (AccountStatements).
  Status Summarise(const std::string& account, std::vector<StatementQuery> queries) {
    AccountStatements& s = statements_[account];
    s = AccountStatements{};
    s.queries = std::move(queries);
    std::unordered_map<int64_t, Millis> continued_from;  // query -> where its continuation starts
    for (const StatementQuery& q : s.queries) {
      if (q.continues) continued_from[q.continues] = q.from;
    }
    for (const StatementQuery& q : s.queries) {
      if (q.status == "answered") {
        // An incomplete answer covers up to where its rest starts (older records say it only
        // through the query that continues it).
        auto next = continued_from.find(q.id);
        Millis end =
            q.next_from ? *q.next_from : (next == continued_from.end() ? q.to : next->second);
        s.answered.push_back({q.from, end});
        s.answered_in_part.push_back(end < q.to);
        if (!s.first || q.from < s.first->from) s.first = &q;
        if (loaded_.insert(q.id).second) {
          answers_read_ = true;
          FANZHA_ASSIGN_OR_RETURN(auto postings,
                                  import::PostingsOf(store_, q.account, q.from, q.to));
          for (const import::StoredPosting& posting : postings) {
            FANZHA_RETURN_IF_ERROR(LoadTransfer(posting.transfer_id));
          }
        }
      } else if (q.status == "rejected") {
        s.refused.push_back({q.from, q.to});
        s.refused_queries.push_back(&q);
      } else {
        s.waiting.push_back({q.from, q.to});
        s.waiting_queries.push_back(&q);
      }
    }
    return Status::Ok();
  }

  // An account as the registry has it, read once. `account` is the record as the walk's ledger
  // takes it: the id always, kind, bank and region when registered, and no opening balance (a
  // statement's opening replaces it).
  struct Known {
    Account account;
    bool registered = false;
  };
  Result<const Known*> Know(const std::string& id) {
    auto it = accounts_.find(id);
    if (it == accounts_.end()) {
      FANZHA_ASSIGN_OR_RETURN(std::optional<Account> a, store_.GetAccount(id));
      Known k{a ? std::move(*a) : Account{}, a.has_value()};
      k.account.id = id;
      k.account.opening_balance = 0;
      it = accounts_.emplace(id, std::move(k)).first;
    }
    return &it->second;
  }

  // The registry's record of an account (nullptr when it has none).
  Result<const Account*> AccountOf(const std::string& id) {
    FANZHA_ASSIGN_OR_RETURN(const Known* k, Know(id));
    return k->registered ? &k->account : nullptr;
  }

  // Where the account's statement window starts, when it has one.
  std::optional<Millis> WindowStart(const std::string& account) const {
    auto it = statements_.find(account);
    if (it == statements_.end() || !it->second.first) return std::nullopt;
    return it->second.first->from;
  }

  // The ledger of what the walk knows: each account with a statement starts at its window with the
  // balance the bank gave; its transfers before the window go to its stand-in. Rebuilt each round:
  // it costs about a microsecond per transfer and account known.
  Result<std::unique_ptr<ledger::Ledger>> BuildLedger() {
    ledger::Ledger::Builder builder;
    for (const std::string& id : met_) {  // every account the known transfers name, in order
      FANZHA_ASSIGN_OR_RETURN(const Known* k, Know(id));
      auto s = statements_.find(id);
      if (s != statements_.end() && s->second.first && s->second.first->opening) {
        Account opened = k->account;
        opened.opening_balance = *s->second.first->opening;
        builder.AddAccount(opened);
      } else {
        builder.AddAccount(k->account);
      }
    }
    auto before_window = [&](const std::string& account, Millis time) {
      if (account.empty()) return false;
      std::optional<Millis> from = WindowStart(account);
      return from && time < *from;
    };
    for (const auto& [id, t] : transfers_) {
      const bool payer_before = before_window(t.from, t.time);
      const bool payee_before = before_window(t.to, t.time);
      if (!payer_before && !payee_before) {
        builder.AddTransfer(t);
        continue;
      }
      Transfer x = t;
      if (payer_before) x.from = StandIn(x.from);
      if (payee_before) x.to = StandIn(x.to);
      builder.AddTransfer(x);
    }
    return builder.Build();
  }

  // Asks for the statements the trace needs and does not have; fills the answer's progress and
  // gaps. Returns how many queries it made.
  Result<int64_t> AskForMissing(const trace::Answer& trace, const ledger::Ledger& ledger,
                                Answer* answer) {
    // Where money arrived first at each account that keeps it (not an exit, within the hops).
    std::map<std::string, std::pair<Millis, int>> arrived;  // account -> (time, fewest hops)
    for (const trace::Flow& f : trace.flows) {
      if (f.to.empty() || f.hops > trace.max_hops) continue;
      std::optional<ledger::AccountIndex> index = ledger.FindAccount(f.to);
      if (index && IsExitKind(ledger.kind(*index))) continue;
      auto [it, fresh] = arrived.try_emplace(RealAccount(f.to), f.time, f.hops);
      if (!fresh) {
        it->second.first = std::min(it->second.first, f.time);
        it->second.second = std::min(it->second.second, f.hops);
      }
    }
    Progress& p = answer->progress;
    p.accounts_reached = arrived.size();
    // The accounts the money has just reached: what the store holds of them first (statements
    // asked for by earlier walks); when that brought statements, trace again before asking.
    std::vector<std::string> unread;
    for (const auto& [account, first] : arrived)
      if (!statements_.count(account)) unread.push_back(account);
    FANZHA_RETURN_IF_ERROR(ReadQueries(unread));
    if (answers_read_) return 0;
    p.waiting = p.late = p.answered = 0;
    int fewest_hops_missing = trace.max_hops + 1;
    const Millis now = clock_.Now();
    std::set<std::string> answered_banks;
    const std::unordered_map<std::string, Moves> moves = MovesOf(trace);
    int64_t asked = 0;
    for (const auto& [account, first] : arrived) {
      const AccountStatements& s = statements_[account];
      p.answered += static_cast<int64_t>(s.answered.size());
      if (s.first) answered_banks.insert(s.first->institution);
      Window need{first.first, until_ + 1};
      // A busy account's statement comes in parts: once the taint has left it, the rest of its
      // history is not needed (poison keeps an account tainted: it needs all of it).
      const Millis covered = CoveredUntil(need.from, s.answered);
      auto m = moves.find(account);
      if (options_.trace.policy != trace::Policy::kPoison && covered < need.to &&
          covered > need.from && m != moves.end() && m->second.DrainedBefore(covered)) {
        need.to = covered;
      }
      std::vector<Window> missing = Uncovered(need, s.answered);
      if (!missing.empty()) fewest_hops_missing = std::min(fewest_hops_missing, first.second);
      if (s.first && !s.first->opening) {
        answer->gaps.push_back({account, s.first->institution, s.first->from, need.to,
                                Gap::Why::kNoOpening, "the bank gave no opening balance"});
      }
      for (const Window& m : missing) {
        FANZHA_ASSIGN_OR_RETURN(int64_t made, AskOrExplain(account, m, s, now, answer));
        asked += made;
      }
    }
    p.hops_known = fewest_hops_missing - 1;
    p.asked += asked;
    p.banks_answered.assign(answered_banks.begin(), answered_banks.end());
    p.banks_asked.assign(banks_asked_.begin(), banks_asked_.end());
    return asked;
  }

  // One missing window of an account: asked for now, or explained (waited for, maybe late;
  // refused; no bank known). Returns how many queries it made.
  Result<int64_t> AskOrExplain(const std::string& account, Window missing,
                               const AccountStatements& s, Millis now, Answer* answer) {
    int64_t asked = 0;
    for (const Window& left : Uncovered(missing, s.waiting)) {
      for (size_t i = 0; i < s.refused.size(); ++i) {
        const Window& r = s.refused[i];
        if (r.to <= left.from || r.from >= left.to) continue;
        const StatementQuery* q = s.refused_queries[i];
        answer->gaps.push_back({account, q->institution, std::max(r.from, left.from),
                                std::min(r.to, left.to), Gap::Why::kRejected, q->reason});
      }
      for (const Window& part : Uncovered(left, s.refused)) {
        FANZHA_ASSIGN_OR_RETURN(std::optional<std::string> bank, BankOf(account));
        if (!bank) {
          answer->gaps.push_back({account, "", part.from, part.to, Gap::Why::kNoBank,
                                  "no bank known for this account number"});
          continue;
        }
        for (const Window& piece : Pieces(part, PartSpanBefore(s, part.from))) {
          FANZHA_RETURN_IF_ERROR(Ask(account, *bank, piece, now));
          ++asked;
        }
      }
    }
    Progress& p = answer->progress;
    for (size_t i = 0; i < s.waiting.size(); ++i) {
      const Window& w = s.waiting[i];
      if (w.to <= missing.from || w.from >= missing.to) continue;
      const StatementQuery* q = s.waiting_queries[i];
      ++p.waiting;
      if (now - q->created_at > options_.bank_deadline) {
        ++p.late;
        answer->gaps.push_back({account, q->institution, w.from, w.to, Gap::Why::kLate,
                                "asked at " + FormatTime(q->created_at) + " (query " +
                                    std::to_string(q->id) + "), no answer yet"});
      }
    }
    return asked;
  }

  // The span of the answered part that ends at `at` because the bank left the rest out (a busy
  // account's): about as long as each piece of the rest should be. 0 when there is none.
  static Millis PartSpanBefore(const AccountStatements& s, Millis at) {
    for (size_t i = 0; i < s.answered.size(); ++i) {
      const Window& w = s.answered[i];
      if (w.to == at && s.answered_in_part[i]) return w.to - w.from;
    }
    return 0;
  }

  // The traced money into and out of each account (by its real id), from the trace's flows.
  static std::unordered_map<std::string, Moves> MovesOf(const trace::Answer& trace) {
    std::unordered_map<std::string, Moves> moves;
    for (const trace::Flow& f : trace.flows) {
      if (!f.to.empty()) {
        Moves& in = moves[RealAccount(f.to)];
        in.in += f.amount;
        in.last_in = std::max(in.last_in, f.time);
      }
      moves[RealAccount(f.from)].out.emplace_back(f.time, f.amount);
    }
    return moves;
  }

  Result<std::optional<std::string>> BankOf(const std::string& account) {
    FANZHA_ASSIGN_OR_RETURN(const Account* a, AccountOf(account));
    if (a && !a->institution.empty()) return std::optional<std::string>(a->institution);
    if (options_.bank_of) return options_.bank_of(account);
    return std::optional<std::string>();
  }

  // Queues one statement query with its audit entry, in one transaction.
  Status Ask(const std::string& account, const std::string& bank, Window w, Millis now) {
    StatementQuery q;
    q.case_id = case_.id;
    q.account = account;
    q.institution = bank;
    FANZHA_ASSIGN_OR_RETURN(const Account* a, AccountOf(account));
    if (a) q.holder = a->holder;
    q.from = w.from;
    q.to = w.to;
    q.mandate = options_.mandate;
    q.asks_rest = false;  // the walk asks for the rest of a busy account's window, if it needs it
    audit::Entry entry;
    entry.at = now;
    entry.user = options_.user;
    entry.role = options_.role;
    entry.action = "statement.ask";
    entry.target = case_.id;
    entry.reason = options_.reason;
    FANZHA_ASSIGN_OR_RETURN(
        audit_head_,
        app::AuditedChange(store_, *options_.audit_key, entry, [&](audit::Entry& e) -> Status {
          FANZHA_ASSIGN_OR_RETURN(StatementQuery made,
                                  interchange::AskStatement(store_.sql(), q, now));
          e.detail = "federated trace: query " + std::to_string(made.id) + " of " + account +
                     " at " + bank + ", " + FormatTime(w.from) + " to " + FormatTime(w.to);
          return Status::Ok();
        }));
    banks_asked_.insert(bank);
    fresh_.push_back(account);  // its queries changed
    return Status::Ok();
  }

  // Money that reached a stand-in reached its account before the window (an exit at the hop
  // limit there, or, while the earlier statement is missing, money held): named as the account,
  // merged with what the account itself has, in the answer's orders.
  static void NameRealAccounts(trace::Answer* a) {
    for (trace::Flow& f : a->flows) f.from = RealAccount(f.from), f.to = RealAccount(f.to);
    for (trace::Held& h : a->held) h.account = RealAccount(h.account);
    for (trace::Exit& e : a->exits) e.account = RealAccount(e.account);
    MergeSame(&a->held,
              [](const trace::Held& x, const trace::Held& y) { return x.account == y.account; });
    std::stable_sort(a->held.begin(), a->held.end(),
                     [](const trace::Held& x, const trace::Held& y) {
                       return x.amount != y.amount ? x.amount > y.amount : x.account < y.account;
                     });
    MergeSame(&a->exits, [](const trace::Exit& x, const trace::Exit& y) {
      return x.account == y.account && x.kind == y.kind;
    });
    std::stable_sort(a->exits.begin(), a->exits.end(),
                     [](const trace::Exit& x, const trace::Exit& y) {
                       return x.account != y.account ? x.account < y.account : x.kind < y.kind;
                     });
  }

  // Folds entries that `same` pairs into the first of them: amounts and origins added, the fewest
  // hops and the earliest taint kept.
  template <typename Entry, typename Same>
  static void MergeSame(std::vector<Entry>* entries, Same same) {
    std::vector<Entry> out;
    for (Entry& e : *entries) {
      auto into = std::find_if(out.begin(), out.end(), [&](const Entry& o) { return same(o, e); });
      if (into == out.end()) {
        out.push_back(std::move(e));
        continue;
      }
      into->amount += e.amount;
      into->hops = std::min(into->hops, e.hops);
      if constexpr (requires { e.first_tainted_at; })
        into->first_tainted_at = std::min(into->first_tainted_at, e.first_tainted_at);
      for (const trace::OriginAmount& part : e.by_origin) {
        auto o =
            std::find_if(into->by_origin.begin(), into->by_origin.end(),
                         [&](const trace::OriginAmount& x) { return x.origin == part.origin; });
        if (o == into->by_origin.end()) {
          into->by_origin.push_back(part);
        } else {
          o->amount += part.amount;
        }
      }
      std::sort(into->by_origin.begin(), into->by_origin.end(),
                [](const trace::OriginAmount& x, const trace::OriginAmount& y) {
                  return x.origin < y.origin;
                });
    }
    *entries = std::move(out);
  }

  store::Store& store_;
  const Case case_;
  Courier& courier_;
  const Options& options_;
  const Clock& clock_;
  const Millis until_;
  const Millis started_;
  std::unordered_map<std::string, Transfer> transfers_;            // by id: what the walk knows
  std::unordered_map<std::string, AccountStatements> statements_;  // of the accounts met
  std::set<std::string> met_;       // accounts named by the transfers the walk knows
  std::vector<std::string> fresh_;  // accounts asked for since the last LoadQueries
  std::set<int64_t> loaded_;        // answered queries read
  bool answers_read_ = false;       // loaded_ has grown since the last round
  std::unordered_map<std::string, Known> accounts_;  // Know

  std::set<std::string> banks_asked_;
  audit::Entry audit_head_;
};

}  // namespace

std::string_view Name(Gap::Why why) {
  switch (why) {
    case Gap::Why::kLate:
      return "late";
    case Gap::Why::kRejected:
      return "rejected";
    case Gap::Why::kNoBank:
      return "no_bank";
    case Gap::Why::kNoOpening:
      return "no_opening";
  }
  return "late";
}

Result<Answer> Walk(store::Store& store, const std::string& case_id, Courier& courier,
                    const Options& options) {
  if (!options.audit_key) return Status::Internal("a federated trace is audited: no audit key");
  if (options.mandate.document.empty()) {
    return Status::Invalid("document: statement queries are made with a document's number")
        .WithZh("document：调单须填写协查文书文号");
  }
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(case_id));
  if (!c) {
    return Status::NotFound("case " + case_id + " is not stored")
        .WithZh("案件 " + case_id + " 不存在");
  }
  return Walker(store, std::move(*c), courier, options).Run();
}

nlohmann::ordered_json ToJson(const Answer& a, const std::string& case_id) {
  nlohmann::ordered_json doc = trace::ToJson(a.trace, case_id);
  doc["complete"] = a.gaps.empty();
  nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
  for (const Gap& g : a.gaps) {
    gaps.push_back({{"account", g.account},
                    {"institution", g.institution},
                    {"from", FormatTime(g.from)},
                    {"to", FormatTime(g.to)},
                    {"why", Name(g.why)},
                    {"detail", g.detail}});
  }
  doc["gaps"] = std::move(gaps);
  const Progress& p = a.progress;
  doc["progress"] = {{"rounds", p.round},
                     {"asked", p.asked},
                     {"answered", p.answered},
                     {"waiting", p.waiting},
                     {"late", p.late},
                     {"banks_asked", p.banks_asked},
                     {"banks_answered", p.banks_answered},
                     {"hops_known", p.hops_known},
                     {"accounts_reached", p.accounts_reached},
                     {"transfers_known", p.transfers_known},
                     {"elapsed_ms", p.elapsed_ms}};
  return doc;
}

}  // namespace fanzha::federated
