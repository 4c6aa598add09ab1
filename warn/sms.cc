#include "warn/sms.h"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "normalise/normalise.h"

namespace fanzha::warn {
namespace {

// U+4E00..U+9FFF (CJK unified ideographs) encoded in UTF-8: E4 B8 80 .. E9 BF BF.
bool IsHan(std::string_view s, size_t i) {
  if (i + 3 > s.size()) return false;
  auto b = static_cast<unsigned char>(s[i]);
  return b >= 0xE4 && b <= 0xE9 && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80;
}

// The distinct n-grams of the runs of Han characters in `text`.
std::unordered_set<std::string> HanGrams(std::string_view text, int n) {
  std::unordered_set<std::string> grams;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (IsHan(text, i)) i += 3;
    size_t chars = (i - start) / 3;
    for (size_t k = 0; k + n <= chars; ++k)
      grams.insert(std::string(text.substr(start + 3 * k, 3 * n)));
    if (i == start) ++i;
  }
  return grams;
}

// A literal as a Hyperscan expression: every ASCII byte that is not a letter or digit escaped.
std::string EscapeLiteral(std::string_view text) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::isalnum(b)) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace

std::vector<Phrase> ScriptPhrases(
    const std::vector<std::pair<std::string, std::string>>& narratives,
    const PhraseOptions& options) {
  std::unordered_map<std::string, int> total;
  std::map<std::string, std::unordered_map<std::string, int>> per_category;
  for (const auto& [category, narrative] : narratives) {
    for (const std::string& g : HanGrams(normalise::NormaliseText(narrative), options.n)) {
      ++total[g];
      ++per_category[category][g];
    }
  }
  std::vector<Phrase> out;
  const double n_docs = static_cast<double>(narratives.size());
  for (const auto& [category, grams] : per_category) {
    std::vector<Phrase> mine;
    for (const auto& [g, count] : grams) {
      int all = total[g];
      if (count < options.min_cases || count < options.min_share * all) continue;
      if (all > options.max_case_share * n_docs && all > options.min_cases) continue;
      mine.push_back({g, category, count});
    }
    std::sort(mine.begin(), mine.end(), [](const Phrase& a, const Phrase& b) {
      return a.cases != b.cases ? a.cases > b.cases : a.text < b.text;
    });
    if (mine.size() > static_cast<size_t>(options.per_category)) mine.resize(options.per_category);
    out.insert(out.end(), mine.begin(), mine.end());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

struct SmsMatcher::Db {
  hs_database_t* db = nullptr;
  ~Db() {
    if (db) hs_free_database(db);
  }
};

SmsMatcher::Scratch::~Scratch() {
  if (scratch_) hs_free_scratch(static_cast<hs_scratch_t*>(scratch_));
}

SmsMatcher::~SmsMatcher() = default;

Result<std::unique_ptr<SmsMatcher>> SmsMatcher::Compile(const Watchlist& list) {
  std::vector<std::string> expressions;
  std::vector<unsigned> flags, ids;
  for (Watchlist::Index i = 0; i < list.size(); ++i) {
    EntryKind kind = list.kind(i);
    if (kind != EntryKind::kPattern && kind != EntryKind::kPhrase) continue;
    if (!list.Active(i, 0)) continue;  // hubs and removed entries; expiry is checked per event
    std::string_view v = list.value(i);
    expressions.push_back(kind == EntryKind::kPhrase ? EscapeLiteral(v) : std::string(v));
    flags.push_back(HS_FLAG_UTF8 | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
    ids.push_back(i);
  }
  std::unique_ptr<SmsMatcher> m(new SmsMatcher());
  m->db_ = std::make_unique<Db>();
  m->patterns_ = expressions.size();
  if (expressions.empty()) return m;
  std::vector<const char*> ptrs;
  for (const std::string& e : expressions) ptrs.push_back(e.c_str());
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()),
                       HS_MODE_BLOCK, nullptr, &m->db_->db, &err) != HS_SUCCESS) {
    std::string why = err && err->message ? err->message : "unknown error";
    std::string which = err && err->expression >= 0
                            ? std::string(Name(list.kind(ids[err->expression]))) + ":" +
                                  std::string(list.value(ids[err->expression]))
                            : "the pattern set";
    hs_free_compile_error(err);
    return Status::Invalid("watchlist entry " + which + " does not compile: " + why)
        .WithZh("布控名单条目 " + which + " 无法编译：" + why);
  }
  return m;
}

Result<std::unique_ptr<SmsMatcher::Scratch>> SmsMatcher::NewScratch() const {
  auto s = std::make_unique<Scratch>();
  hs_scratch_t* scratch = nullptr;
  if (db_->db && hs_alloc_scratch(db_->db, &scratch) != HS_SUCCESS) {
    return Status::Internal("hyperscan could not allocate scratch space");
  }
  s->scratch_ = scratch;
  return s;
}

namespace {
bool PlainAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}
}  // namespace

void SmsMatcher::Match(std::string_view text, Scratch* scratch,
                       std::vector<Watchlist::Index>* hits) const {
  if (!db_->db || text.empty()) return;
  // Phrases are Simplified (NormaliseText of narratives): Traditional or full-width text is
  // brought to the same form first. Plain ASCII (most manual patterns' targets) needs nothing.
  std::string normalised;
  if (!PlainAscii(text)) {
    normalised = normalise::NormaliseText(text);
    text = normalised;
  }
  auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                     void* ctx) -> int {
    static_cast<std::vector<Watchlist::Index>*>(ctx)->push_back(id);
    return 0;
  };
  hs_scan(db_->db, text.data(), static_cast<unsigned>(text.size()), 0,
          static_cast<hs_scratch_t*>(scratch->scratch_), on_match, hits);
}

}  // namespace fanzha::warn
