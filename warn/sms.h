// SMS screening at line rate: the text of every SMS is matched against the phrases of known fraud
// scripts (taken from case narratives) and manual patterns, all compiled into one Hyperscan
// database, so the cost per message does not grow with the number of patterns.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "warn/watchlist.h"

namespace fanzha::warn {

struct Phrase {
  std::string text;      // a run of `n` Chinese characters, Simplified, as NormaliseText gives it
  std::string category;  // the fraud category whose narratives carry it
  int cases = 0;         // narratives of that category that carry it
};
struct PhraseOptions {
  int n = 4;                    // characters per phrase
  int min_cases = 3;            // carried by at least this many narratives of the category
  double min_share = 0.8;       // and at least this share of all narratives carrying it
  double max_case_share = 0.1;  // and by at most this share of all narratives (not generic)
  int per_category = 40;        // the most frequent phrases kept per category
};
// Distinctive n-grams per category: phrases that the narratives of one category share and others
// do not ("口罩订单" for fake_goods_sale, "安全账户" for impersonation_official). Input pairs are
// (category, narrative); narratives are normalised here (Traditional -> Simplified, NFKC).
// Deterministic: ordered by category, then cases descending, then text. O(total text length).
std::vector<Phrase> ScriptPhrases(
    const std::vector<std::pair<std::string, std::string>>& narratives,
    const PhraseOptions& options = {});

class SmsMatcher {
 public:
  // Per-thread working memory for Match.
  class Scratch {
   public:
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch();

   private:
    friend class SmsMatcher;
    void* scratch_ = nullptr;  // hs_scratch_t
  };

  // Compiles every kPattern (a regular expression, caseless, UTF-8) and kPhrase (a literal) entry
  // of `list` that is not removed. kInvalidInput names the entry whose pattern does not compile.
  // A list with no patterns gives a matcher that matches nothing.
  static Result<std::unique_ptr<SmsMatcher>> Compile(const Watchlist& list);
  ~SmsMatcher();

  Result<std::unique_ptr<Scratch>> NewScratch() const;
  // Appends to *hits each matching entry once (in no particular order). Thread-safe with one
  // Scratch per thread. O(text length).
  void Match(std::string_view text, Scratch* scratch, std::vector<Watchlist::Index>* hits) const;
  size_t patterns() const { return patterns_; }

 private:
  SmsMatcher() = default;
  struct Db;
  std::unique_ptr<Db> db_;
  size_t patterns_ = 0;
};

}  // namespace fanzha::warn
