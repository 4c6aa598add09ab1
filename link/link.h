// Case linking (串并案): joins single fraud reports into gangs. The contract is
// docs spec LINKING.md; start with `Linker`.
//
// Evidence. Two cases are linked when they share a key:
//  - an identifier (phone, account, url, domain, wechat, qq, alipay, device, ip, email, other) with
//    the same normalised value (the caller normalises; formatting then never matters);
//  - a money account: an account that carries a large enough share of each case's traced money
//    (`CaseMoney`, from the tracer). A case keys on account A when the money of the case that
//    reached A is at least `Options::min_money_share` of its seed and at least
//    `Options::min_money_fen`: a few yuan reaching a stranger is no key at all;
//    Money evidence between established cases. A case is established when a live identifier links
//    it to another case. Money alone links two cases when at least one of them is not established;
//    two established cases are linked by money only when they share at least
//    `min_corroborating_accounts` (2) money accounts, each above the floor for both. Why: one
//    account that received a large share of the money of two established gangs is more often a
//    mixing point than a shared mule layer (a cash-out card holder who also trades with another
//    gang's mule, everyday spending that fifo tracing attributes to the victim, a card sold twice);
//    a gang's own victims share their mule chain layer after layer (collection, split, gather,
//    cash-out), so a true money link between established cases nearly always has two accounts.
//    The rule is per pair of cases, so clusters stay a pure function of the cases present. What it
//    does not cover: a case with no identifier evidence whose money reaches two gangs still
//    bridges them (it is not established, so one account suffices on each side).
//  - a similar narrative: MinHash over character 3-grams of the normalised text (the caller passes
//    NormaliseText output, so 詐騙 and 诈骗 are one), LSH bands as keys; a candidate pair found in
//    a band is similar when its estimated similarity is at least `min_narrative_similarity`, both
//    cases have the same category and they were reported within `narrative_window` of each other.
//    Scripts are shared by many gangs (the same "courier lost your parcel" story is told by
//    everyone), so by default a similar narrative corroborates: it is reported as evidence between
//    cases that identifiers or money already link, and joins nothing by itself. With
//    `Options::narrative_links` it links on its own (for data where scripts are gang-specific).
//
// Hubs. Every key has a case count. A key carried by more than its threshold of cases
// (`max_key_cases`, `max_ip_cases` for IPs, `max_band_cases` for narrative bands) is a hub: it is
// set aside and links nothing. So is a generic value whatever its count (a 95xxx service line,
// weixin.qq.com, a big merchant's account; see Options::builtin_generic): a small data set has too
// few cases for counts to tell a courier hotline from a gang's phone. Below the threshold a key
// links all of its cases, and its weight (as reported in the evidence) falls with its count:
// base(kind) * (1 - 0.5 * ln(count) / ln(T + 1)), a term-frequency adjustment.
//
// Bulk == incremental. Whether a key is a hub depends only on its final count, and a count only
// grows, so a key turns into a hub at most once and never back. Clusters are defined as the
// connected components of the graph whose edges are the non-hub identifier keys, the pairs of cases
// money links (above) and, with narrative_links, verified narrative pairs over the cases present. A
// case that becomes established, or a key that becomes a hub, can only remove edges inside one
// cluster (re-split below); a case that stops being established (its identifier became a hub)
// regains its money links, which the re-split adds back. `Relink()` (bulk) computes this directly
// from the final counts. `Add()` (incremental) unions the new case with the holders of each of its
// non-hub keys; when a key turns into a hub on this addition, the one cluster its holders were in
// is re-split by recomputing its components without that key (its other edges all lie inside it).
// Both therefore give the same clusters, the same evidence and the same hubs, for any order of
// additions (tested on random orders). Cluster ids are numbered by the smallest case id of each
// cluster, so they depend on the set of cases, not on the order; they may shift when clusters
// appear or merge.
//
// Threads. A Linker is thread-compatible: one writer at a time; const methods may run concurrently
// with each other but not with a writer.
//
// Cost. Add(): O(keys of the case + members of its non-hub keys and bands + size of a re-split
// cluster); a few microseconds for typical cases at one million linked cases. Relink(): O(cases *
// keys + sum over non-hub bands of members^2). Memory: about 1.5 KiB per case at one million cases.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::link {

// One case as linking sees it. All values already normalised.
struct LinkCase {
  std::string id;
  Millis reported_at = 0;
  std::string region;    // GB/T 2260 code or empty
  std::string category;  // FORMATS.md category key, or empty
  Fen loss = 0;
  std::string narrative;  // NormaliseText output (NFKC, Traditional -> Simplified)
  std::vector<std::pair<IdentifierType, std::string>> identifiers;  // (type, normalised value)
};

// Where a case's money went, from its trace: every account the traced money passed through or is
// held at (exits excluded), with the amount of this case's money that reached it. An account may be
// listed more than once; its amounts add up. `seed_fen` is the case's traced total (its payments).
struct CaseMoney {
  std::string case_id;
  Fen seed_fen = 0;
  std::vector<std::pair<std::string, Fen>> reached;  // (normalised account, fen)
};

struct Options {
  int max_key_cases = 50;   // identifiers and money accounts: more cases than this = hub
  int max_ip_cases = 8;     // IPs are shared by NAT and proxies: a lower threshold
  int max_band_cases = 50;  // narrative LSH buckets
  double min_money_share = 0.4;
  Fen min_money_fen = 10000;  // 100 yuan
  // Two established cases (each linked to some case by an identifier) are linked by money only
  // when they share at least this many money accounts (see "Money evidence" above).
  int min_corroborating_accounts = 2;
  double min_narrative_similarity = 0.7;
  Millis narrative_window = 30LL * 24 * 3600 * 1000;
  int min_narrative_chars = 12;  // shorter narratives (after dropping punctuation) are not compared
  bool narrative_links = false;  // true: a similar narrative alone links two cases (see above)
  // Generic values are hubs whatever their count: service numbers and platform sites
  // (link/generic.h) when builtin_generic, and whatever also_generic says (e.g. merchant, platform
  // and exchange accounts of the ledger). Must be a pure function of its arguments.
  bool builtin_generic = true;
  std::function<bool(IdentifierType, std::string_view)> also_generic;
};

// One piece of evidence inside a cluster: the cases that share `value` of `kind`.
// kind: an identifier type name ("phone", "account", ...), "money" (value: the account) or
// "narrative" (value: "similarity 0.88; category refund; 2 days apart", always two cases).
struct Evidence {
  std::vector<std::string> cases;  // sorted by id
  std::string kind;
  std::string value;
  double weight = 0;  // (0, 1]
};

// An evidence's value for a Chinese reader: a narrative's "similarity 0.88; category refund; 2
// days apart" as "叙述相似度 0.88；类别 退款；相隔 2 天"; any other value (an identifier, an
// account) as it is.
std::string ValueInChinese(const Evidence& e);

struct Cluster {
  std::string id;                  // "K000001", numbered in order of the smallest case id
  std::vector<std::string> cases;  // sorted by id
  Fen loss = 0;
  std::vector<std::string> regions;  // distinct, sorted, empty codes left out
  std::vector<Evidence> evidence;    // strongest first
};

// A value set aside as a hub and how many cases carry it (generic values carried by one case only
// are not listed). For narrative buckets, value is the
// (normalised) narrative of the smallest case id in the bucket.
struct Hub {
  std::string kind;
  std::string value;
  int64_t cases = 0;
};

struct Answer {
  std::vector<Cluster> clusters;  // clusters of two or more cases, by id
  std::vector<Hub> hubs;          // most cases first
};

// Why one case belongs where it does.
struct Explanation {
  std::string case_id;
  std::string cluster_id;                  // empty when the case is linked to nothing
  std::vector<std::string> cluster_cases;  // sorted
  std::vector<Evidence> evidence;          // the evidence this case takes part in, strongest first
  // How every other member is reached from this case: (member, the member before it on a shortest
  // chain of evidence; equal to case_id when linked directly).
  std::vector<std::pair<std::string, std::string>> reached_via;
  std::vector<Hub> set_aside;           // the case's own values that are hubs
  std::vector<std::string> weak_money;  // accounts its money reached below the share/amount floor
};

struct Totals {
  int64_t cases = 0;
  int64_t linked_cases = 0;  // cases in clusters of two or more
  int64_t clusters = 0;      // clusters of two or more cases
  int64_t hubs = 0;          // identifier and money values set aside
};

class Linker {
 public:
  explicit Linker(Options options = {});
  ~Linker();
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  // Incremental: adds a case and links it at once. kInvalidInput for an empty id, kConflict when
  // the id is already present.
  Status Add(const LinkCase& c);
  // Incremental: adds the money reach of a case added before (kNotFound otherwise). A case takes
  // one CaseMoney (kConflict on a second). kInvalidInput when seed_fen <= 0 and reached is not
  // empty.
  Status AddMoney(const CaseMoney& m);

  // Bulk: adds cases (and money) without linking them, then Relink()s everything once. Same errors
  // as Add/AddMoney; on error nothing is linked until the next Relink() (the valid cases are kept).
  Status AddAll(const std::vector<LinkCase>& cases, const std::vector<CaseMoney>& money);
  // Recomputes every cluster from the final key counts. O(total keys + verified pairs).
  void Relink();

  Answer Clusters() const;
  // kNotFound for an unknown case id.
  Result<Explanation> Explain(std::string_view case_id) const;
  Totals CountTotals() const;
  // One label per case in the order the cases were added: equal labels = same cluster. Unlinked
  // cases have a label of their own. For quality measurement.
  std::vector<std::pair<std::string, uint32_t>> Labels() const;

  const Options& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanzha::link
