// The bank directory (docs/spec/INTERCHANGE.md "Bank directory"): which institution holds an
// account, from the issuer prefixes each bank node announces. A node started with prefixes
// (`fanzha bank serve --prefixes 622202,621226`) publishes an announcement to fanzha.bank.<token>
// on the stream FANZHA_BANKS, which keeps the last one of each bank; the platform reads them all
// (LoadDirectory) and asks the Directory whose account a number is, to know which bank to ask next.
//
// Announcements are untrusted input: a message above kMaxAnnouncementBytes, with more than
// kMaxPrefixes prefixes, a prefix that is not 1 to kMaxPrefixDigits digits, an institution other
// than its subject's, a higher version or anything malformed is skipped and reported (with why),
// never used.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "interchange/messages.h"
#include "interchange/nats.h"

namespace fanzha::interchange {

inline constexpr std::string_view kBanksStream = "FANZHA_BANKS";
inline constexpr std::string_view kBankSubjects = "fanzha.bank.*";
std::string BankSubject(std::string_view token);  // fanzha.bank.<token>
// The token of a bank subject ("fanzha.bank.<token>"), or "" when the subject is not one.
std::string_view BankSubjectToken(std::string_view subject);

inline constexpr size_t kMaxAnnouncementBytes = 65536;
inline constexpr size_t kMaxPrefixes = 1000;
inline constexpr size_t kMaxPrefixDigits = 11;

// The stream's settings, as both sides create it when missing: subjects fanzha.bank.*, the last
// message of each subject kept (max_msgs_per_subject 1), no maximum age (an announcement stays
// until the bank announces again), messages up to kMaxAnnouncementBytes.
StreamSpec BanksStream(int replicas);

struct Announcement {
  int version = kVersion;
  std::string institution;
  std::vector<std::string> prefixes;  // issuer prefixes of the bank's account numbers
  Millis announced_at = 0;            // the bank's clock
};

// {"interchange":1,"institution":"...","prefixes":["622202",...],"announced_at":"RFC 3339"}
std::string ToJson(const Announcement& a);
// Reads an announcement (at most kMaxAnnouncementBytes: kTooLarge above). kInvalidInput, naming
// the field, for malformed JSON, a missing field, more than kMaxPrefixes prefixes, a bad prefix,
// an institution that cannot be carried on the interchange, or a version above kVersion. Pure.
Result<Announcement> ParseAnnouncement(std::string_view bytes);

// Ok when `prefix` is 1 to kMaxPrefixDigits ASCII digits; kInvalidInput (bilingual) otherwise.
Status CheckPrefix(std::string_view prefix);
// The --prefixes option: prefixes separated by commas ("622202,621226"; spaces around them are
// ignored), each checked with CheckPrefix, at most kMaxPrefixes, a repeated one kept once, in the
// order given. kInvalidInput (bilingual) naming the bad prefix, for an empty list or entry.
Result<std::vector<std::string>> ParsePrefixes(std::string_view comma_separated);

// Publishes `a` to BankSubject(its institution's token) on the banks' stream, which it creates
// when missing (BanksStream(replicas)), and waits for JetStream's acknowledgement. The message id
// is "bank/<token>/<announced_at in ms>". kInvalidInput when `a` would not be read back
// (ParseAnnouncement); kIoError from NATS.
Status Announce(Connection& nats, const Announcement& a, int replicas = 1);

// An announcement that was not used, and why (kTooLarge or kInvalidInput, bilingual).
struct SkippedAnnouncement {
  std::string subject;
  uint64_t sequence = 0;  // in the stream
  Status why;
};

// Which institution an account number belongs to, by the longest announced prefix that starts it.
// Immutable once built; thread-safe to read.
class Directory {
 public:
  Directory() = default;
  // From announcements in the order the stream stored them: when two institutions announce the
  // same prefix, the later announcement wins (the stream's order, not `announced_at`, which each
  // bank writes itself). `skipped` is kept for skipped().
  explicit Directory(std::vector<Announcement> in_stream_order,
                     std::vector<SkippedAnnouncement> skipped = {});

  // The institution whose announced prefix is the longest prefix of `account` (a normalised
  // number, FORMATS.md); nullopt when no announced prefix starts it. O(kMaxPrefixDigits) lookups.
  std::optional<std::string> InstitutionOf(std::string_view account) const;

  // The announcements used, in stream order, and those skipped.
  const std::vector<Announcement>& announcements() const { return announcements_; }
  const std::vector<SkippedAnnouncement>& skipped() const { return skipped_; }

 private:
  std::vector<Announcement> announcements_;
  std::vector<SkippedAnnouncement> skipped_;
  std::map<std::string, size_t, std::less<>> owner_;  // prefix -> index into announcements_
};

// Reads the last announcement of every bank from the banks' stream and builds the Directory;
// announcements that cannot be trusted are skipped and listed in Directory::skipped(), as is one
// whose institution is not its subject's (a bank announces only for itself). No stream yet: an
// empty directory. kIoError from NATS. Cost: one JetStream request per bank.
Result<Directory> LoadDirectory(Connection& nats);

}  // namespace fanzha::interchange
