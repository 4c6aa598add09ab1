// Jurisdiction: weighing where the suspects are (dispatch.h).
#include <algorithm>
#include <map>

#include "dispatch/dispatch.h"
#include "region/region.h"

namespace fanzha::dispatch {

std::string_view Name(SignalKind k) {
  switch (k) {
    case SignalKind::kPhone:
      return "phone";
    case SignalKind::kCashOut:
      return "cash_out";
    case SignalKind::kLastLayer:
      return "last_layer";
  }
  return "?";
}

int Weights::Of(SignalKind k) const {
  switch (k) {
    case SignalKind::kPhone:
      return phone;
    case SignalKind::kCashOut:
      return cash_out;
    case SignalKind::kLastLayer:
      return last_layer;
  }
  return 0;
}

std::string CityLevel(std::string_view code) {
  const region::Division* d = region::FindDivision(code);
  if (d == nullptr) return std::string(code);
  if (d->level == region::Level::kCounty && !d->parent.empty()) return d->parent;
  return d->code;
}

namespace {

// The most common city of the victims' regions (ties: the smaller code); empty when none.
std::string MostCommonCity(const std::vector<std::string>& regions) {
  std::map<std::string, int> count;
  for (const std::string& r : regions) {
    if (!r.empty()) ++count[CityLevel(r)];
  }
  std::string best;
  int best_n = 0;
  for (const auto& [code, n] : count) {
    if (n > best_n) best = code, best_n = n;
  }
  return best;
}

}  // namespace

Jurisdiction Decide(std::vector<Signal> signals, const std::vector<std::string>& victim_regions) {
  Jurisdiction j;
  std::map<std::string, int> weight;
  for (const Signal& s : signals) {
    if (s.region.empty()) continue;
    weight[s.region] += s.weight;
    j.total += s.weight;
  }
  for (const auto& [code, w] : weight) {
    if (w > j.score) j.code = code, j.score = w;
  }
  std::sort(signals.begin(), signals.end(), [](const Signal& a, const Signal& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.value < b.value;
  });
  j.signals = std::move(signals);
  for (const auto& [code, w] : weight) {
    if (code != j.code) j.disagreement.emplace_back(code, w);
  }
  std::stable_sort(j.disagreement.begin(), j.disagreement.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!j.code.empty()) {
    j.name = region::RegionTable::Builtin().DisplayName(j.code);
    j.basis = "suspects' signals weigh " + std::to_string(j.score) + " of " +
              std::to_string(j.total) + " for " + j.name + " (" + j.code + ")";
    if (!j.disagreement.empty()) {
      j.basis += "; " + std::to_string(j.disagreement.size()) + " other place(s) named";
    }
    return j;
  }
  j.code = MostCommonCity(victim_regions);
  j.name = region::RegionTable::Builtin().DisplayName(j.code);
  j.basis = j.code.empty() ? "no suspect signal and no victim region: nowhere to send"
                           : "no suspect signal with a known place: sent to the victims' city " +
                                 j.name + " (" + j.code + ")";
  return j;
}

}  // namespace fanzha::dispatch
