// The Linker: keys, hubs and clusters (see link.h for the rules).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "link/generic.h"
#include "link/link.h"
#include "link/narrative.h"

namespace fanzha::link {
namespace {

constexpr uint8_t kMoneyKind = 100;
constexpr uint8_t kBandKind = 101;
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

double BaseWeight(uint8_t kind) {
  switch (static_cast<IdentifierType>(kind)) {
    case IdentifierType::kPhone:
    case IdentifierType::kAccount:
    case IdentifierType::kIdCard:
      return 0.98;  // one person's identity number
    case IdentifierType::kDomain:
    case IdentifierType::kDevice:
      return 0.9;
    case IdentifierType::kIp:
      return 0.7;
    case IdentifierType::kOther:
      return 0.8;
    default:
      return 0.95;
  }
}

std::string KindName(uint8_t kind) {
  if (kind == kMoneyKind) return "money";
  if (kind == kBandKind) return "narrative";
  return std::string(Name(static_cast<IdentifierType>(kind)));
}

// The first `n` code points of UTF-8 text.
std::string Prefix(const std::string& s, int n) {
  size_t i = 0;
  for (int k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return s.substr(0, i);
}

double Round3(double x) { return std::round(x * 1000) / 1000; }

bool EvidenceOrder(const Evidence& a, const Evidence& b) {
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.value != b.value) return a.value < b.value;
  return a.cases < b.cases;
}

// An open-addressing map from 64-bit hashes to key ids (linear probing, load <= 1/2): no
// allocation per entry, for the millions of narrative bands.
class FlatIndex {
 public:
  uint32_t FindOrInsert(uint64_t h, uint32_t value, bool* added) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if (2 * (size_ + 1) > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i].first == h) {
        *added = false;
        return slots_[i].second;
      }
      if (slots_[i].first == 0) {
        slots_[i] = {h, value};
        ++size_;
        *added = true;
        return value;
      }
    }
  }

 private:
  void Grow() {
    std::vector<std::pair<uint64_t, uint32_t>> old(std::max<size_t>(1024, 2 * slots_.size()));
    old.swap(slots_);
    size_t mask = slots_.size() - 1;
    for (const auto& [h, v] : old) {
      if (h == 0) continue;
      size_t i = h & mask;
      while (slots_[i].first != 0) i = (i + 1) & mask;
      slots_[i] = {h, v};
    }
  }
  std::vector<std::pair<uint64_t, uint32_t>> slots_;
  size_t size_ = 0;
};

}  // namespace

struct Linker::Impl {
  // 24 bytes and no allocation for a key of one holder (most narrative bands, many values).
  struct Key {
    const std::string* value = nullptr;  // identifier/money: kind byte + value (owned by key_index)
    uint32_t first = kNone;              // the first holder
    uint32_t more = kNone;               // index into `overflow`: the holders after the first
    uint32_t count = 0;
    uint8_t kind = 0;
    bool generic = false;  // a hub by what it is (link/generic.h, Options::also_generic)
  };
  struct CaseRec {
    std::string id;
    Millis reported_at = 0;
    uint32_t category = 0;  // 0 = none
    std::string region;
    Fen loss = 0;
    std::string narrative;
    std::vector<uint32_t> keys;             // identifier and money keys, distinct
    std::array<uint32_t, kBands> bands;     // bucket keys; kNone when the narrative is too short
    std::vector<uint32_t> narrative_links;  // verified partners (check SharesLiveBand before use)
    std::vector<std::pair<uint32_t, float>> money_share;  // money key -> share of the seed
    std::vector<std::string> weak_money;
    bool has_money = false;
    uint32_t sig = kNone;
  };

  Options opt;
  std::vector<CaseRec> cases;
  std::unordered_map<std::string, uint32_t> case_index;
  std::vector<Key> keys;
  std::vector<std::vector<uint32_t>> overflow;
  std::unordered_map<std::string, uint32_t> key_index;
  FlatIndex band_index;
  std::vector<Signature> sigs;
  std::unordered_map<std::string, uint32_t> category_index;
  // Union-find by size; each set's members also form a circular list through `next`.
  std::vector<uint32_t> parent, size, next;
  std::string scratch;

  // ---- keys and hubs ----
  int Threshold(uint8_t kind) const {
    if (kind == kBandKind) return opt.max_band_cases;
    if (kind == static_cast<uint8_t>(IdentifierType::kIp)) return opt.max_ip_cases;
    return opt.max_key_cases;
  }
  bool IsHub(uint32_t k) const {
    return keys[k].generic || keys[k].count > static_cast<uint32_t>(Threshold(keys[k].kind));
  }
  double Rarity(uint32_t k) const {
    double n = static_cast<double>(keys[k].count);
    return 1.0 - 0.5 * std::log(n) / std::log(Threshold(keys[k].kind) + 1.0);
  }
  uint32_t InternKey(uint8_t kind, std::string_view value) {
    scratch.assign(1, static_cast<char>(kind));
    scratch.append(value);
    auto [it, added] = key_index.try_emplace(scratch, static_cast<uint32_t>(keys.size()));
    if (added) {
      keys.push_back(Key{&it->first, kNone, kNone, 0, kind, Generic(kind, value)});
    }
    return it->second;
  }
  bool Generic(uint8_t kind, std::string_view value) const {
    if (kind == kMoneyKind || kind == kBandKind) return false;
    auto type = static_cast<IdentifierType>(kind);
    if (opt.builtin_generic && IsGenericValue(type, value)) return true;
    return opt.also_generic && opt.also_generic(type, value);
  }
  uint32_t InternBand(uint64_t h) {
    bool added = false;
    uint32_t k = band_index.FindOrInsert(h, static_cast<uint32_t>(keys.size()), &added);
    if (added) keys.push_back(Key{nullptr, kNone, kNone, 0, kBandKind, false});
    return k;
  }
  void AddHolder(uint32_t k, uint32_t c) {
    Key& key = keys[k];
    if (key.count++ == 0) {
      key.first = c;
      return;
    }
    if (key.more == kNone) {
      key.more = static_cast<uint32_t>(overflow.size());
      overflow.emplace_back();
    }
    overflow[key.more].push_back(c);
  }
  std::vector<uint32_t> Holders(uint32_t k) const {
    std::vector<uint32_t> out;
    if (keys[k].count == 0) return out;
    out.push_back(keys[k].first);
    if (keys[k].more != kNone) {
      out.insert(out.end(), overflow[keys[k].more].begin(), overflow[keys[k].more].end());
    }
    return out;
  }

  // ---- money corroboration (link.h "Money evidence between established cases") ----
  bool IsIdentifierKey(uint32_t k) const {
    return keys[k].kind != kMoneyKind && keys[k].kind != kBandKind;
  }
  // A case is established when a live identifier links it to another case.
  bool Established(uint32_t c) const {
    for (uint32_t k : cases[c].keys) {
      if (IsIdentifierKey(k) && keys[k].count >= 2 && !IsHub(k)) return true;
    }
    return false;
  }
  // Live (non-hub) money accounts that both cases key on. money_share is sorted by key.
  int SharedMoney(uint32_t a, uint32_t b) const {
    const auto& x = cases[a].money_share;
    const auto& y = cases[b].money_share;
    int n = 0;
    for (size_t i = 0, j = 0; i < x.size() && j < y.size();) {
      if (x[i].first < y[j].first) {
        ++i;
      } else if (y[j].first < x[i].first) {
        ++j;
      } else {
        n += !IsHub(x[i].first);
        ++i;
        ++j;
      }
    }
    return n;
  }
  // Whether shared money links cases a and b (they share at least one live money account).
  bool MoneyLinks(uint32_t a, uint32_t b) const {
    int shared = SharedMoney(a, b);
    if (shared == 0) return false;
    if (shared >= opt.min_corroborating_accounts) return true;
    return !(Established(a) && Established(b));
  }
  // Unions `c` with every holder of its live money keys that money links it to.
  void UnionMoney(uint32_t c) {
    for (const auto& [k, share] : cases[c].money_share) {
      if (IsHub(k) || keys[k].count < 2) continue;
      for (uint32_t h : Holders(k)) {
        if (h != c && Find(h) != Find(c) && MoneyLinks(c, h)) Union(c, h);
      }
    }
  }

  // ---- union-find ----
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  uint32_t FindConst(uint32_t x) const {
    while (parent[x] != x) x = parent[x];
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size[a] < size[b]) std::swap(a, b);
    parent[b] = a;
    size[a] += size[b];
    std::swap(next[a], next[b]);  // splices the two circular member lists
  }
  void MakeSingleton(uint32_t x) {
    parent[x] = x;
    size[x] = 1;
    next[x] = x;
  }
  std::vector<uint32_t> Members(uint32_t root) const {
    std::vector<uint32_t> out;
    uint32_t x = root;
    do {
      out.push_back(x);
      x = next[x];
    } while (x != root);
    return out;
  }

  // ---- narrative ----
  bool Verify(uint32_t a, uint32_t b) const {
    const CaseRec& x = cases[a];
    const CaseRec& y = cases[b];
    if (x.category == 0 || x.category != y.category) return false;
    if (std::llabs(x.reported_at - y.reported_at) > opt.narrative_window) return false;
    return EstimateSimilarity(sigs[x.sig], sigs[y.sig]) >= opt.min_narrative_similarity;
  }
  bool SharesLiveBand(uint32_t a, uint32_t b) const {
    for (int i = 0; i < kBands; ++i) {
      uint32_t k = cases[a].bands[i];
      if (k != kNone && k == cases[b].bands[i] && !IsHub(k)) return true;
    }
    return false;
  }
  void AddNarrativeLink(uint32_t a, uint32_t b) {
    auto& la = cases[a].narrative_links;
    if (std::find(la.begin(), la.end(), b) != la.end()) return;
    la.push_back(b);
    cases[b].narrative_links.push_back(a);
  }

  // ---- adding ----
  Status CheckNew(const LinkCase& c) const {
    if (c.id.empty()) return Status::Invalid("case: empty id").WithZh("case: 案件编号为空");
    if (case_index.count(c.id))
      return Status::Conflict("case " + c.id + ": already linked")
          .WithZh("案件 " + c.id + "：已加入串并分析");
    return Status::Ok();
  }
  // Adds the case and its key memberships without linking. Returns its index.
  uint32_t Ingest(const LinkCase& c, const Signature* sig) {
    uint32_t idx = static_cast<uint32_t>(cases.size());
    case_index.emplace(c.id, idx);
    CaseRec rec;
    rec.id = c.id;
    rec.reported_at = c.reported_at;
    rec.region = c.region;
    rec.loss = c.loss;
    if (!c.category.empty()) {
      rec.category =
          category_index.try_emplace(c.category, category_index.size() + 1).first->second;
    }
    for (const auto& [type, value] : c.identifiers) {
      if (!value.empty()) rec.keys.push_back(InternKey(static_cast<uint8_t>(type), value));
    }
    std::sort(rec.keys.begin(), rec.keys.end());
    rec.keys.erase(std::unique(rec.keys.begin(), rec.keys.end()), rec.keys.end());
    rec.bands.fill(kNone);
    if (CountTextChars(c.narrative) >= opt.min_narrative_chars) {
      rec.sig = static_cast<uint32_t>(sigs.size());
      sigs.push_back(sig ? *sig : MinHash(c.narrative));
      rec.narrative = c.narrative;
      for (int b = 0; b < kBands; ++b) rec.bands[b] = InternBand(BandKey(sigs.back(), b));
    }
    for (uint32_t k : rec.keys) AddHolder(k, idx);
    if (rec.sig != kNone) {
      for (uint32_t k : rec.bands) AddHolder(k, idx);
    }
    cases.push_back(std::move(rec));
    parent.push_back(idx);
    size.push_back(1);
    next.push_back(idx);
    return idx;
  }
  // Adds money keys to a case; returns the new keys.
  Result<std::vector<uint32_t>> IngestMoney(const CaseMoney& m) {
    auto it = case_index.find(m.case_id);
    if (it == case_index.end())
      return Status::NotFound("money: no case " + m.case_id).WithZh("money: 没有案件 " + m.case_id);
    CaseRec& rec = cases[it->second];
    if (rec.has_money)
      return Status::Conflict("money: case " + m.case_id + " already has its money")
          .WithZh("money: 案件 " + m.case_id + " 已有资金去向");
    if (m.seed_fen <= 0 && !m.reached.empty()) {
      return Status::Invalid("money: case " + m.case_id + ": seed must be > 0")
          .WithZh("money: 案件 " + m.case_id + "：起点金额须大于 0");
    }
    rec.has_money = true;
    std::vector<std::pair<std::string, Fen>> sums(m.reached);
    std::sort(sums.begin(), sums.end());
    std::vector<uint32_t> added;
    for (size_t i = 0; i < sums.size();) {
      Fen amount = 0;
      size_t j = i;
      for (; j < sums.size() && sums[j].first == sums[i].first; ++j) amount += sums[j].second;
      double share = static_cast<double>(amount) / static_cast<double>(m.seed_fen);
      if (!sums[i].first.empty() && share >= opt.min_money_share && amount >= opt.min_money_fen) {
        uint32_t k = InternKey(kMoneyKind, sums[i].first);
        rec.money_share.emplace_back(k, static_cast<float>(std::min(1.0, share)));
        if (std::find(rec.keys.begin(), rec.keys.end(), k) == rec.keys.end()) {
          rec.keys.push_back(k);
          AddHolder(k, it->second);
          added.push_back(k);
        }
      } else if (!sums[i].first.empty()) {
        rec.weak_money.push_back(sums[i].first);
      }
      i = j;
    }
    std::sort(rec.money_share.begin(), rec.money_share.end());
    return added;
  }

  // Links case `idx` through keys it has just joined. Keys that turned into hubs re-split the
  // cluster of their holders.
  void LinkNew(uint32_t idx, const std::vector<uint32_t>& new_keys, bool with_bands) {
    std::vector<uint32_t> resplit;  // a holder of each key that turned into a hub
    bool money = false;
    for (uint32_t k : new_keys) {
      size_t n = keys[k].count;
      size_t t = static_cast<size_t>(Threshold(keys[k].kind));
      if (keys[k].generic) continue;
      if (keys[k].kind == kMoneyKind) {
        // Money links pairwise: the holders of a money key may lie in several clusters.
        if (n == t + 1) {
          std::vector<uint32_t> holders = Holders(k);
          resplit.insert(resplit.end(), holders.begin(), holders.end());
        }
        money |= n >= 2 && n <= t;
        continue;
      }
      if (n == t + 1) resplit.push_back(keys[k].first);
      if (n >= 2 && n <= t) {
        // The first holder becomes established when it gets its first identifier partner: its
        // uncorroborated money links to other established cases end (its cluster is re-split).
        if (n == 2 && !cases[idx].money_share.empty()) resplit.push_back(idx);
        if (n == 2 && !cases[keys[k].first].money_share.empty()) resplit.push_back(keys[k].first);
        Union(idx, keys[k].first);
      }
    }
    if (money) UnionMoney(idx);
    if (with_bands && cases[idx].sig != kNone) {
      for (uint32_t k : cases[idx].bands) {
        size_t n = keys[k].count;
        size_t t = static_cast<size_t>(opt.max_band_cases);
        // Band holders are linked pairwise, not all together: every cluster holding them may lose
        // a link.
        std::vector<uint32_t> holders = Holders(k);
        if (n == t + 1) resplit.insert(resplit.end(), holders.begin(), holders.end());
        if (n > t) continue;
        for (uint32_t m : holders) {
          if (m != idx && Verify(idx, m)) {
            AddNarrativeLink(idx, m);
            if (opt.narrative_links) Union(idx, m);
          }
        }
      }
    }
    std::vector<uint32_t> roots;
    for (uint32_t holder : resplit) roots.push_back(Find(holder));
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    for (uint32_t root : roots) {
      if (Find(root) == root) Resplit(root);  // a root re-split earlier stays a root of its part
    }
  }

  // Recomputes the components of one cluster with the current hub status of every key. All live
  // edges of its members lie inside it, so this is exact.
  void Resplit(uint32_t root) {
    std::vector<uint32_t> members = Members(root);
    for (uint32_t m : members) MakeSingleton(m);
    for (uint32_t m : members) {
      for (uint32_t k : cases[m].keys) {
        if (IsIdentifierKey(k) && !IsHub(k) && keys[k].count >= 2) Union(m, keys[k].first);
      }
    }
    for (uint32_t m : members) {
      // May join a cluster outside: a case that stopped being established (its identifier became
      // a hub) regains its money links to established cases.
      UnionMoney(m);
      if (!opt.narrative_links) continue;
      for (uint32_t p : cases[m].narrative_links) {
        if (SharesLiveBand(m, p)) Union(m, p);
      }
    }
  }

  void RelinkAll() {
    for (uint32_t i = 0; i < cases.size(); ++i) {
      MakeSingleton(i);
      cases[i].narrative_links.clear();
    }
    for (uint32_t i = 0; i < cases.size(); ++i) UnionMoney(i);
    for (uint32_t k = 0; k < keys.size(); ++k) {
      const Key& key = keys[k];
      if (key.count < 2 || IsHub(k)) continue;
      const std::vector<uint32_t>& more = overflow[key.more];
      if (key.kind == kMoneyKind) continue;  // pairwise, below
      if (key.kind != kBandKind) {
        for (uint32_t m : more) Union(key.first, m);
        continue;
      }
      std::vector<uint32_t> holders = Holders(k);
      for (size_t i = 0; i < holders.size(); ++i) {
        for (size_t j = i + 1; j < holders.size(); ++j) {
          if (Verify(holders[i], holders[j])) {
            AddNarrativeLink(holders[i], holders[j]);
            if (opt.narrative_links) Union(holders[i], holders[j]);
          }
        }
      }
    }
  }

  // ---- answers ----
  float MoneyShare(uint32_t c, uint32_t k) const {
    for (const auto& [key, share] : cases[c].money_share) {
      if (key == k) return share;
    }
    return 0;
  }
  // The evidence of key k inside the cluster whose root is `root` (a money key's holders may lie in
  // several clusters: only those inside count).
  Evidence KeyEvidence(uint32_t k, uint32_t root) const {
    const Key& key = keys[k];
    std::vector<uint32_t> holders = Holders(k);
    if (key.kind == kMoneyKind) {
      std::erase_if(holders, [&](uint32_t h) { return FindConst(h) != root; });
    }
    Evidence e;
    for (uint32_t c : holders) e.cases.push_back(cases[c].id);
    std::sort(e.cases.begin(), e.cases.end());
    e.kind = KindName(key.kind);
    e.value = key.value->substr(1);
    double w = BaseWeight(key.kind);
    if (key.kind == kMoneyKind) {
      float least = 1;
      for (uint32_t c : holders) least = std::min(least, MoneyShare(c, k));
      w = std::sqrt(static_cast<double>(least));
    }
    e.weight = Round3(w * Rarity(k));
    return e;
  }
  Evidence NarrativeEvidence(uint32_t a, uint32_t b) const {
    const CaseRec& x = cases[a];
    const CaseRec& y = cases[b];
    double sim = EstimateSimilarity(sigs[x.sig], sigs[y.sig]);
    long days = static_cast<long>(std::llabs(x.reported_at - y.reported_at) / (24LL * 3600 * 1000));
    std::string category;
    for (const auto& [name, id] : category_index) {
      if (id == x.category) category = name;
    }
    char buf[64];
    // ValueInChinese reads this form back: change both together.
    std::snprintf(buf, sizeof buf, "similarity %.2f; category ", sim);
    Evidence e;
    e.cases = {x.id, y.id};
    std::sort(e.cases.begin(), e.cases.end());
    e.kind = "narrative";
    e.value = buf;
    e.value += category;
    e.value += "; " + std::to_string(days) + " days apart";
    e.weight = Round3(0.7 * sim);
    return e;
  }
  // The cluster of `members` (sorted by id) with its evidence.
  Cluster BuildCluster(const std::vector<uint32_t>& members) const {
    Cluster out;
    std::vector<uint32_t> ks;
    for (uint32_t m : members) {
      const CaseRec& c = cases[m];
      out.cases.push_back(c.id);
      out.loss += c.loss;
      if (!c.region.empty()) out.regions.push_back(c.region);
      for (uint32_t k : c.keys) {
        if (keys[k].count >= 2 && !IsHub(k)) ks.push_back(k);
      }
      for (uint32_t p : c.narrative_links) {
        if (cases[m].id < cases[p].id && SharesLiveBand(m, p) && FindConst(p) == FindConst(m)) {
          out.evidence.push_back(NarrativeEvidence(m, p));
        }
      }
    }
    std::sort(out.regions.begin(), out.regions.end());
    out.regions.erase(std::unique(out.regions.begin(), out.regions.end()), out.regions.end());
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    uint32_t root = FindConst(members[0]);
    for (uint32_t k : ks) {
      Evidence e = KeyEvidence(k, root);
      if (e.cases.size() >= 2) out.evidence.push_back(std::move(e));
    }
    std::sort(out.evidence.begin(), out.evidence.end(), EvidenceOrder);
    return out;
  }
  // Members of every cluster of two or more cases, each sorted by id, clusters by first id.
  std::vector<std::vector<uint32_t>> AllClusters() const {
    std::vector<std::vector<uint32_t>> out;
    for (uint32_t i = 0; i < cases.size(); ++i) {
      if (parent[i] == i && size[i] >= 2) out.push_back(Members(i));
    }
    auto by_id = [&](uint32_t a, uint32_t b) { return cases[a].id < cases[b].id; };
    for (auto& m : out) std::sort(m.begin(), m.end(), by_id);
    std::sort(out.begin(), out.end(),
              [&](const auto& a, const auto& b) { return by_id(a[0], b[0]); });
    return out;
  }
  // The number (1-based) of the cluster whose smallest case id is `first`.
  size_t ClusterNumber(const std::string& first) const {
    std::vector<const std::string*> firsts;
    for (uint32_t i = 0; i < cases.size(); ++i) {
      if (parent[i] != i || size[i] < 2) continue;
      const std::string* least = nullptr;
      for (uint32_t m : Members(i)) {
        if (!least || cases[m].id < *least) least = &cases[m].id;
      }
      firsts.push_back(least);
    }
    size_t n = 1;
    for (const std::string* f : firsts) n += *f < first;
    return n;
  }
  std::vector<Hub> Hubs() const {
    std::vector<Hub> out;
    std::unordered_map<std::string, size_t> narrative_hubs;
    for (uint32_t k = 0; k < keys.size(); ++k) {
      if (!IsHub(k) || keys[k].count < 2) continue;
      const Key& key = keys[k];
      int64_t n = static_cast<int64_t>(key.count);
      if (key.kind != kBandKind) {
        out.push_back({KindName(key.kind), key.value->substr(1), n});
        continue;
      }
      uint32_t least = key.first;
      for (uint32_t c : Holders(k)) {
        if (cases[c].id < cases[least].id) least = c;
      }
      std::string value = Prefix(cases[least].narrative, 40);
      auto [it, added] = narrative_hubs.try_emplace(value, out.size());
      if (added) {
        out.push_back({"narrative", value, n});
      } else {
        out[it->second].cases = std::max(out[it->second].cases, n);
      }
    }
    std::sort(out.begin(), out.end(), [](const Hub& a, const Hub& b) {
      if (a.cases != b.cases) return a.cases > b.cases;
      return a.kind != b.kind ? a.kind < b.kind : a.value < b.value;
    });
    return out;
  }
};

Linker::Linker(Options options) : impl_(std::make_unique<Impl>()) { impl_->opt = options; }
Linker::~Linker() = default;
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;
const Options& Linker::options() const { return impl_->opt; }

Status Linker::Add(const LinkCase& c) {
  FANZHA_RETURN_IF_ERROR(impl_->CheckNew(c));
  uint32_t idx = impl_->Ingest(c, nullptr);
  impl_->LinkNew(idx, impl_->cases[idx].keys, true);
  return Status::Ok();
}

Status Linker::AddMoney(const CaseMoney& m) {
  FANZHA_ASSIGN_OR_RETURN(std::vector<uint32_t> added, impl_->IngestMoney(m));
  impl_->LinkNew(impl_->case_index.at(m.case_id), added, false);
  return Status::Ok();
}

namespace {
// MinHash signatures of many narratives on two threads.
std::vector<Signature> Signatures(const std::vector<LinkCase>& cases) {
  std::vector<Signature> out(cases.size());
  auto work = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) out[i] = MinHash(cases[i].narrative);
  };
  size_t half = cases.size() / 2;
  std::thread other(work, half, cases.size());
  work(0, half);
  other.join();
  return out;
}
}  // namespace

Status Linker::AddAll(const std::vector<LinkCase>& cases, const std::vector<CaseMoney>& money) {
  Status first;
  std::vector<Signature> sigs = Signatures(cases);
  impl_->cases.reserve(impl_->cases.size() + cases.size());
  impl_->case_index.reserve(impl_->cases.size() + cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    Status st = impl_->CheckNew(cases[i]);
    if (st.ok()) {
      impl_->Ingest(cases[i], &sigs[i]);
    } else if (first.ok()) {
      first = st;
    }
  }
  for (const CaseMoney& m : money) {
    auto added = impl_->IngestMoney(m);
    if (!added.ok() && first.ok()) first = added.status();
  }
  Relink();
  return first;
}

void Linker::Relink() { impl_->RelinkAll(); }

Answer Linker::Clusters() const {
  Answer out;
  size_t n = 0;
  for (const auto& members : impl_->AllClusters()) {
    Cluster c = impl_->BuildCluster(members);
    char id[32];
    std::snprintf(id, sizeof id, "K%06zu", ++n);
    c.id = id;
    out.clusters.push_back(std::move(c));
  }
  out.hubs = impl_->Hubs();
  return out;
}

Result<Explanation> Linker::Explain(std::string_view case_id) const {
  auto it = impl_->case_index.find(std::string(case_id));
  if (it == impl_->case_index.end())
    return Status::NotFound("no case " + std::string(case_id))
        .WithZh("没有案件 " + std::string(case_id));
  const Impl& im = *impl_;
  uint32_t idx = it->second;
  Explanation out;
  out.case_id = std::string(case_id);
  for (uint32_t k : im.cases[idx].keys) {
    if (im.IsHub(k)) {
      out.set_aside.push_back({KindName(im.keys[k].kind), im.keys[k].value->substr(1),
                               static_cast<int64_t>(im.keys[k].count)});
    }
  }
  out.weak_money = im.cases[idx].weak_money;
  uint32_t root = im.FindConst(idx);
  if (im.size[root] < 2) return out;
  std::vector<uint32_t> members = im.Members(root);
  std::sort(members.begin(), members.end(),
            [&](uint32_t a, uint32_t b) { return im.cases[a].id < im.cases[b].id; });
  Cluster cluster = im.BuildCluster(members);
  char id[32];
  std::snprintf(id, sizeof id, "K%06zu", im.ClusterNumber(cluster.cases[0]));
  out.cluster_id = id;
  out.cluster_cases = cluster.cases;
  // Breadth-first over the evidence, from this case.
  std::unordered_map<std::string, std::vector<size_t>> by_case;
  for (size_t e = 0; e < cluster.evidence.size(); ++e) {
    for (const std::string& c : cluster.evidence[e].cases) by_case[c].push_back(e);
  }
  std::unordered_map<std::string, std::string> before{{out.case_id, out.case_id}};
  std::deque<std::string> queue{out.case_id};
  while (!queue.empty()) {
    std::string at = queue.front();
    queue.pop_front();
    for (size_t e : by_case[at]) {
      for (const std::string& c : cluster.evidence[e].cases) {
        if (before.try_emplace(c, at).second) {
          queue.push_back(c);
          out.reached_via.emplace_back(c, at);
        }
      }
    }
  }
  for (Evidence& e : cluster.evidence) {
    if (std::binary_search(e.cases.begin(), e.cases.end(), out.case_id)) {
      out.evidence.push_back(std::move(e));
    }
  }
  return out;
}

Totals Linker::CountTotals() const {
  Totals t;
  const Impl& im = *impl_;
  t.cases = static_cast<int64_t>(im.cases.size());
  for (uint32_t i = 0; i < im.cases.size(); ++i) {
    if (im.parent[i] == i && im.size[i] >= 2) {
      ++t.clusters;
      t.linked_cases += im.size[i];
    }
  }
  for (uint32_t k = 0; k < im.keys.size(); ++k) {
    t.hubs += im.keys[k].kind != kBandKind && im.IsHub(k);
  }
  return t;
}

std::vector<std::pair<std::string, uint32_t>> Linker::Labels() const {
  std::vector<std::pair<std::string, uint32_t>> out;
  out.reserve(impl_->cases.size());
  for (uint32_t i = 0; i < impl_->cases.size(); ++i) {
    out.emplace_back(impl_->cases[i].id, impl_->FindConst(i));
  }
  return out;
}

std::string ValueInChinese(const Evidence& e) {
  if (e.kind != "narrative") return e.value;
  char similarity[16] = {}, category[65] = {};
  long days = 0;
  if (std::sscanf(e.value.c_str(), "similarity %15[0-9.]; category %64[^;]; %ld days apart",
                  similarity, category, &days) != 3) {
    return e.value;
  }
  return "叙述相似度 " + std::string(similarity) + "；类别 " +
         std::string(CategoryInChinese(category)) + "；相隔 " + std::to_string(days) + " 天";
}

}  // namespace fanzha::link
