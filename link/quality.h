// Linking quality against ground truth (LINKING.md "Quality"): pairwise precision/recall/F1 over
// all pairs of cases, and B-cubed precision/recall/F1 (averaged per case). Plus the baseline that
// every linking method must beat: exact-string matching of the identifiers as reported.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fanzha::link {

struct Quality {
  int64_t cases = 0;
  double pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
};

// `predicted` and `truth` map each case to a label (equal labels = same cluster / gang). Cases
// missing from `predicted` count as singletons; cases missing from `truth` (and cases whose truth
// label is empty) are singletons of their own. Measured over the cases of `predicted`. A measure
// with no pairs to judge (no predicted pairs for precision, no true pairs for recall) is 1.
// O(cases).
Quality Measure(const std::vector<std::pair<std::string, uint32_t>>& predicted,
                const std::unordered_map<std::string, std::string>& truth);

// The baseline: cases that share an identifier string exactly as reported (raw, no normalisation,
// no hub rule) are joined (transitively). Input: (case id, raw identifier strings). Returns one
// label per case, in input order. O(identifiers).
std::vector<std::pair<std::string, uint32_t>> ExactMatchLabels(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& cases);

}  // namespace fanzha::link
