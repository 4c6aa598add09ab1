// The world under generation: gangs, cases and their money flows, ordinary life, and the files they
// are streamed to, hour by hour. Internal to gen/; use GenerateWorld() from gen/gen.h.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gen/gen.h"
#include "gen/population.h"
#include "gen/random.h"
#include "gen/writer.h"

namespace fanzha::gen {

constexpr uint32_t kNoAccount = UINT32_MAX;
constexpr Millis kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

enum Layer { kCollection, kSplit, kGather, kCashout, kLayers };

struct Gang {
  size_t city = 0;
  std::vector<std::string> phones, wechat, qq, domains;
  std::array<std::vector<uint32_t>, kLayers> mules;
  std::vector<uint32_t> accomplices, sellers;
  std::vector<std::pair<size_t, int>> scripts;  // (category, script)
};

// One row of transfers.csv before it has an id. `slot` >= 0 marks a victim payment of a case.
struct Tx {
  Millis time;
  uint64_t seq;  // creation order: breaks ties so that sorting is the same everywhere
  int64_t amount;
  uint32_t from, to;
  int32_t slot;
  uint8_t channel, memo;
  bool planned;  // fraud flows and victims' money: written as planned, never trimmed to the balance
};

struct Event {
  Millis time;
  uint64_t seq;
  uint8_t kind;
  std::string from, to, text;
  int64_t amount = 0, duration_s = 0;
  int32_t case_index = -1, gang = -1;  // ground truth for fraud events
};

struct CaseRecord {
  int64_t index = 0;
  int gang = 0;
  size_t category = 0;
  uint32_t victim = 0;
  Millis reported_at = 0, first_payment = 0;
  int64_t loss = 0;
  std::string narrative;
  std::vector<std::string> payment_ids;
  int pending = 0;
  std::vector<std::pair<std::string, std::string>> identifiers;  // (type, raw value)
};

class World {
 public:
  World(const GenOptions& options, int64_t persons);
  Status Run(const std::function<void(int64_t)>& progress);
  const GenSummary& summary() const { return summary_; }

 private:
  // setup
  Status OpenFiles();
  void MakeGangs(int64_t count);
  uint32_t RentMule(int gang, Layer layer);
  uint32_t PersonNear(size_t city, int tries);
  void WriteGangTruth();
  // cases and their money
  Millis FirstPaymentOf(int64_t k) const;
  void PlanCase(int64_t k);
  void PlanContacts(const CaseRecord& c, Millis first_payment,
                    const std::vector<std::string>& used_phones);
  void PlanDecoys(int gang, Millis around);
  void Collect(int gang, uint32_t account, int64_t amount, Millis t);
  void Split(int gang, uint32_t account, int64_t amount, Millis t, int depth);
  void Gather(int gang, uint32_t account, int64_t amount, Millis t);
  void CashOut(int gang, uint32_t account, int64_t amount, Millis t);
  void Withdraw(uint32_t account, int64_t amount, Millis t, int64_t chunk);
  void AddTx(Millis t, uint32_t from, uint32_t to, int64_t amount, uint8_t channel, uint8_t memo,
             bool planned, int32_t slot = -1);
  void AddEvent(Event e);
  // ordinary life
  void OrdinaryHour(int64_t hour, std::vector<Tx>* out);
  void BusyCardsHour(int64_t hour, std::vector<Tx>* out);  // mule cards' own everyday life
  void Salaries(Millis t, std::vector<Tx>* out);
  void OrdinaryEvents(int64_t hour, std::vector<Event>* out);
  int64_t Scaled(int64_t fen) const { return fen * opt_.shape.amount_percent / 100; }
  // output
  Status WriteHour(int64_t hour);
  void WriteTx(Tx& tx);
  void WriteStatementRow(size_t which, const Tx& tx, bool debit);
  void WriteEvent(const Event& e);
  void FlushCases(bool all);
  void WriteCase(const CaseRecord& c);
  Status CloseAll();

  GenOptions opt_;
  Rng rng_;
  Population pop_;
  Millis end_;
  int64_t hours_;
  std::vector<Gang> gangs_;
  std::unordered_map<uint32_t, int> mule_gang_;
  std::unordered_set<uint32_t> reserved_;  // mules, accomplices, sellers: never victims
  std::vector<int64_t> balance_;
  std::map<int64_t, std::vector<Tx>> pending_tx_;     // by hour index
  std::map<int64_t, std::vector<Event>> pending_ev_;  // by hour index
  std::deque<CaseRecord> cases_;
  std::vector<std::pair<int64_t, int>> slots_;  // slot -> (case index, payment number)
  int64_t next_case_ = 0, total_cases_ = 0, first_open_case_ = 0;
  int64_t ordinary_per_hour_x1000_ = 0, events_per_hour_x1000_ = 0, busy_per_hour_x1000_ = 0;
  int64_t tx_carry_ = 0, ev_carry_ = 0, busy_carry_ = 0;
  std::vector<uint32_t> busy_cards_;  // every mule card, when they lead busy lives of their own
  uint64_t seq_ = 0;
  int64_t next_tx_id_ = 1, next_event_id_ = 1;
  std::vector<uint32_t> statement_accounts_;
  std::vector<std::unique_ptr<OutFile>> statements_;
  std::vector<int64_t> statement_serial_;
  OutFile accounts_, transfers_, cases_out_, events_, truth_cases_, truth_gangs_, truth_mules_,
      truth_targets_, truth_hubs_, truth_accomplices_, truth_events_;
  std::vector<std::string> hub_values_;
  GenSummary summary_;
};

}  // namespace fanzha::gen
