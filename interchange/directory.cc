// The bank directory (directory.h).
#include "interchange/directory.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json.h"
#include "core/text.h"

namespace fanzha::interchange {
namespace {

constexpr std::string_view kBankSubjectPrefix = "fanzha.bank.";

Status AnnouncementField(const std::string& field, const std::string& what,
                         const std::string& what_zh) {
  return Status::Invalid(field + ": " + what).WithZh(field + "：" + what_zh);
}

}  // namespace

std::string BankSubject(std::string_view token) {
  return std::string(kBankSubjectPrefix) + std::string(token);
}

std::string_view BankSubjectToken(std::string_view subject) {
  if (subject.substr(0, kBankSubjectPrefix.size()) != kBankSubjectPrefix) return {};
  return subject.substr(kBankSubjectPrefix.size());
}

StreamSpec BanksStream(int replicas) {
  StreamSpec spec{std::string(kBanksStream),
                  {std::string(kBankSubjects)},
                  static_cast<int32_t>(kMaxAnnouncementBytes),
                  replicas};
  spec.max_age = 0;
  spec.max_msgs_per_subject = 1;
  return spec;
}

Status CheckPrefix(std::string_view prefix) {
  const bool digits =
      std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!prefix.empty() && prefix.size() <= kMaxPrefixDigits && digits) return Status::Ok();
  const std::string shown(Utf8Prefix(IsValidUtf8(prefix) ? prefix : "?", 40));
  const std::string most = std::to_string(kMaxPrefixDigits);
  return Status::Invalid("prefix '" + shown + "': an issuer prefix is 1 to " + most + " digits")
      .WithZh("前缀“" + shown + "”：发卡机构前缀须为 1 至 " + most + " 位数字");
}

Result<std::vector<std::string>> ParsePrefixes(std::string_view comma_separated) {
  std::vector<std::string> prefixes;
  std::set<std::string_view> seen;
  for (std::string_view p : Split(comma_separated, ',')) {
    p = Trim(p);
    FANZHA_RETURN_IF_ERROR(CheckPrefix(p));
    if (seen.insert(p).second) prefixes.emplace_back(p);
  }
  if (prefixes.size() > kMaxPrefixes) {
    const std::string most = std::to_string(kMaxPrefixes);
    return Status::Invalid(std::to_string(prefixes.size()) + " prefixes: at most " + most)
        .WithZh("前缀 " + std::to_string(prefixes.size()) + " 个：最多 " + most + " 个");
  }
  return prefixes;
}

std::string ToJson(const Announcement& a) {
  nlohmann::ordered_json doc = {{"interchange", a.version},
                                {"institution", a.institution},
                                {"prefixes", a.prefixes},
                                {"announced_at", FormatTime(a.announced_at)}};
  return DumpJson(doc);
}

Result<Announcement> ParseAnnouncement(std::string_view bytes) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonObject(bytes, "announcement", "机构公告",
                                                              {.max_bytes = kMaxAnnouncementBytes,
                                                               .max_depth = kMaxDepth}));
  Announcement a;
  auto version = doc.find("interchange");
  if (version == doc.end() || !version->is_number_integer() || *version < 1)
    return AnnouncementField("interchange", "missing or not a version", "缺失或不是版本号");
  if (*version > kVersion) {
    const std::string v = std::to_string(version->get<int64_t>());
    return AnnouncementField("interchange", "version " + v + " (this reader speaks 1)",
                             "版本 " + v + "（本程序只支持版本 1）");
  }
  auto institution = doc.find("institution");
  if (institution == doc.end() || !institution->is_string())
    return AnnouncementField("institution", "missing or not a string", "缺失或不是字符串");
  a.institution = institution->get<std::string>();
  FANZHA_RETURN_IF_ERROR(InstitutionToken(a.institution).status().WithContext("institution"));
  auto announced_at = doc.find("announced_at");
  if (announced_at == doc.end() || !announced_at->is_string())
    return AnnouncementField("announced_at", "missing or not a string", "缺失或不是字符串");
  Result<Millis> at = ParseTime(announced_at->get<std::string>());
  if (!at.ok()) return FieldOf("announced_at: ", at.status());
  a.announced_at = *at;
  auto prefixes = doc.find("prefixes");
  if (prefixes == doc.end() || !prefixes->is_array())
    return AnnouncementField("prefixes", "missing or not an array", "缺失或不是数组");
  if (prefixes->size() > kMaxPrefixes) {
    const std::string n = std::to_string(prefixes->size()), most = std::to_string(kMaxPrefixes);
    return AnnouncementField("prefixes", n + " prefixes, above the limit of " + most,
                             n + " 个前缀，超出 " + most + " 个上限");
  }
  for (size_t i = 0; i < prefixes->size(); ++i) {
    const nlohmann::json& p = (*prefixes)[i];
    const std::string field = "prefixes[" + std::to_string(i) + "]";
    if (!p.is_string()) return AnnouncementField(field, "not a string", "不是字符串");
    FANZHA_RETURN_IF_ERROR(CheckPrefix(p.get_ref<const std::string&>()).WithContext(field));
    a.prefixes.push_back(p.get<std::string>());
  }
  return a;
}

Status Announce(Connection& nats, const Announcement& a, int replicas) {
  const std::string body = ToJson(a);
  FANZHA_RETURN_IF_ERROR(ParseAnnouncement(body).status().WithContext("announcement"));
  FANZHA_ASSIGN_OR_RETURN(std::string token, InstitutionToken(a.institution));
  FANZHA_RETURN_IF_ERROR(nats.EnsureStream(BanksStream(replicas)));
  return nats.Publish(BankSubject(token), "bank/" + token + "/" + std::to_string(a.announced_at),
                      body);
}

Directory::Directory(std::vector<Announcement> in_stream_order,
                     std::vector<SkippedAnnouncement> skipped)
    : announcements_(std::move(in_stream_order)), skipped_(std::move(skipped)) {
  for (size_t i = 0; i < announcements_.size(); ++i)
    for (const std::string& prefix : announcements_[i].prefixes)
      owner_[prefix] = i;  // a later announcement of the same prefix wins
}

std::optional<std::string> Directory::InstitutionOf(std::string_view account) const {
  for (size_t n = std::min(account.size(), kMaxPrefixDigits); n > 0; --n) {
    auto it = owner_.find(account.substr(0, n));
    if (it != owner_.end()) return announcements_[it->second].institution;
  }
  return std::nullopt;
}

Result<Directory> LoadDirectory(Connection& nats) {
  Result<std::vector<StoredMessage>> messages =
      nats.LastMessages(std::string(kBanksStream), std::string(kBankSubjects));
  if (!messages.ok() && messages.status().code() == ErrorCode::kNotFound) return Directory();
  if (!messages.ok()) return messages.status();
  std::vector<Announcement> used;
  std::vector<SkippedAnnouncement> skipped;
  for (const StoredMessage& m : *messages) {
    Result<Announcement> a = ParseAnnouncement(m.data);
    Status why = a.status();
    if (a.ok()) {
      Result<std::string> token = InstitutionToken(a->institution);
      if (!token.ok() || *token != BankSubjectToken(m.subject)) {
        why = Status::Invalid("institution '" + a->institution + "' is not the subject's (" +
                              m.subject + "): a bank announces for itself only")
                  .WithZh("机构“" + a->institution + "”与主题 " + m.subject +
                          " 不符：银行只能为本机构发布公告");
      }
    }
    if (why.ok()) {
      used.push_back(std::move(a).value());
    } else {
      skipped.push_back({m.subject, m.sequence, why});
    }
  }
  return Directory(std::move(used), std::move(skipped));
}

}  // namespace fanzha::interchange
