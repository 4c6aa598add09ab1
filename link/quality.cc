#include "link/quality.h"

#include <map>
#include <numeric>

namespace fanzha::link {
namespace {

double Pairs(int64_t n) { return static_cast<double>(n) * static_cast<double>(n - 1) / 2; }
double Ratio(double num, double den) { return den == 0 ? 1.0 : num / den; }
double F1(double p, double r) { return p + r == 0 ? 0 : 2 * p * r / (p + r); }

}  // namespace

Quality Measure(const std::vector<std::pair<std::string, uint32_t>>& predicted,
                const std::unordered_map<std::string, std::string>& truth) {
  // Dense ids for the truth labels; a case without a gang gets a label of its own.
  std::unordered_map<std::string, int64_t> gang_id;
  std::vector<int64_t> gang(predicted.size());
  int64_t next = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    auto it = truth.find(predicted[i].first);
    if (it == truth.end() || it->second.empty()) {
      gang[i] = next++;
    } else {
      auto [g, added] = gang_id.try_emplace(it->second, next);
      if (added) ++next;
      gang[i] = g->second;
    }
  }
  std::unordered_map<uint32_t, int64_t> cluster_size;
  std::unordered_map<int64_t, int64_t> gang_size;
  std::map<std::pair<uint32_t, int64_t>, int64_t> both;
  for (size_t i = 0; i < predicted.size(); ++i) {
    ++cluster_size[predicted[i].second];
    ++gang_size[gang[i]];
    ++both[{predicted[i].second, gang[i]}];
  }
  double tp = 0, pred_pairs = 0, true_pairs = 0;
  for (const auto& [k, n] : both) tp += Pairs(n);
  for (const auto& [k, n] : cluster_size) pred_pairs += Pairs(n);
  for (const auto& [k, n] : gang_size) true_pairs += Pairs(n);
  Quality q;
  q.cases = static_cast<int64_t>(predicted.size());
  q.pair_precision = Ratio(tp, pred_pairs);
  q.pair_recall = Ratio(tp, true_pairs);
  q.pair_f1 = F1(q.pair_precision, q.pair_recall);
  double bp = 0, br = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    double common = static_cast<double>(both[{predicted[i].second, gang[i]}]);
    bp += common / static_cast<double>(cluster_size[predicted[i].second]);
    br += common / static_cast<double>(gang_size[gang[i]]);
  }
  double n = predicted.empty() ? 1 : static_cast<double>(predicted.size());
  q.bcubed_precision = predicted.empty() ? 1 : bp / n;
  q.bcubed_recall = predicted.empty() ? 1 : br / n;
  q.bcubed_f1 = F1(q.bcubed_precision, q.bcubed_recall);
  return q;
}

std::vector<std::pair<std::string, uint32_t>> ExactMatchLabels(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& cases) {
  std::vector<uint32_t> parent(cases.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::unordered_map<std::string, uint32_t> first_holder;
  for (uint32_t i = 0; i < cases.size(); ++i) {
    for (const std::string& raw : cases[i].second) {
      if (raw.empty()) continue;
      auto [it, added] = first_holder.try_emplace(raw, i);
      if (!added) parent[find(i)] = find(it->second);
    }
  }
  std::vector<std::pair<std::string, uint32_t>> out;
  for (uint32_t i = 0; i < cases.size(); ++i) out.emplace_back(cases[i].first, find(i));
  return out;
}

}  // namespace fanzha::link
