// Who works a case, their notes, its attachments (work.h).
#include "casefile/work.h"

#include "casefile/book.h"
#include "casefile/casefile.h"

namespace fanzha::casefile {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kKindNames[] = {"report_material", "legal_document", "other"};
constexpr std::string_view kKindChinese[] = {"报案材料", "法律文书", "其他"};
constexpr size_t kMaxOfficerBytes = 64;
constexpr size_t kMaxFileNameBytes = 200;
constexpr size_t kMaxMediaTypeBytes = 100;

// Text a person typed: valid UTF-8 (a store holds nothing else), at most `max` bytes.
Status CheckText(const char* field, std::string_view text, size_t max) {
  if (!IsValidUtf8(text)) return Field(field, "not valid UTF-8 text", "不是有效的 UTF-8 文本");
  if (text.size() > max) {
    return Field(field, "longer than " + std::to_string(max) + " bytes",
                 "超过 " + std::to_string(max) + " 字节");
  }
  return Status::Ok();
}

// A file name shown in lists and given back on download: no folders, nothing invisible.
Status CheckFileName(std::string_view name) {
  FANZHA_RETURN_IF_ERROR(CheckText("name", name, kMaxFileNameBytes));
  if (name.empty() || name == "." || name == "..")
    return Field("name", "the file's name is required", "须填写文件名");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
      return Field("name", "holds a path separator or a control character",
                   "含有路径分隔符或控制字符");
    }
  }
  return Status::Ok();
}

// A media type as "type/subtype", ASCII; anything else is recorded as unknown.
std::string MediaTypeOf(std::string_view given) {
  const std::string_view t = Trim(given);
  const size_t slash = t.find('/');
  bool ok = !t.empty() && t.size() <= kMaxMediaTypeBytes && slash != std::string_view::npos &&
            slash > 0 && slash + 1 < t.size();
  for (unsigned char c : t) ok = ok && c > 0x20 && c < 0x7f && c != '"' && c != ';';
  return ok ? AsciiLower(t) : "application/octet-stream";
}

Result<int64_t> NextSeq(store::SqlDatabase& db, const char* table, const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db.Prepare(std::string("SELECT COALESCE(MAX(seq), 0) FROM ") +
                                              table + " WHERE case_id = ?"));
  st->Bind(1, case_id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  return row ? st->ColumnInt64(0) + 1 : 1;
}

constexpr std::string_view kAttachmentColumns =
    "SELECT seq, kind, name, media_type, bytes, sha256, by_user, at";

Result<Attachment> ReadAttachment(const store::SqlStatement& s, const std::string& case_id) {
  Attachment a;
  a.seq = s.ColumnInt64(0);
  FANZHA_ASSIGN_OR_RETURN(a.kind, Stored(ParseAttachmentKind(s.ColumnText(1)), "case_attachments",
                                         case_id + " " + std::to_string(a.seq), "kind"));
  a.name = s.ColumnString(2);
  a.media_type = s.ColumnString(3);
  a.bytes = s.ColumnInt64(4);
  a.sha256 = s.ColumnString(5);
  a.by = s.ColumnString(6);
  a.at = s.ColumnInt64(7);
  return a;
}

}  // namespace

std::string_view Name(AttachmentKind k) { return kKindNames[static_cast<size_t>(k)]; }
std::string_view ChineseName(AttachmentKind k) { return kKindChinese[static_cast<size_t>(k)]; }
Result<AttachmentKind> ParseAttachmentKind(std::string_view text) {
  return ByEitherName<AttachmentKind>(text, kKindNames, kKindChinese, "attachment kind");
}

ojson ToJson(const Assignment& a) {
  return {{"seq", a.seq},
          {"officer", a.officer},
          {"by", a.by},
          {"note", a.note},
          {"at", FormatTime(a.at)}};
}

ojson ToJson(const CaseNote& n) {
  return {{"seq", n.seq}, {"text", n.text}, {"by", n.by}, {"at", FormatTime(n.at)}};
}

ojson ToJson(const Attachment& a) {
  return {{"seq", a.seq},
          {"kind", Name(a.kind)},
          {"kind_zh", ChineseName(a.kind)},
          {"name", a.name},
          {"media_type", a.media_type},
          {"bytes", a.bytes},
          {"sha256", a.sha256},
          {"by", a.by},
          {"at", FormatTime(a.at)}};
}

Status WorkBook::RequireCase(const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store_.GetCase(case_id));
  return c ? Status::Ok() : NoCase(case_id);
}

Result<Assignment> WorkBook::Assign(const std::string& case_id, const std::string& officer,
                                    const std::string& by, const std::string& note, Millis now) {
  Assignment a{0, std::string(Trim(officer)), by, std::string(Trim(note)), now};
  FANZHA_RETURN_IF_ERROR(CheckText("officer", a.officer, kMaxOfficerBytes));
  FANZHA_RETURN_IF_ERROR(CheckText("note", a.note, kMaxNoteBytes));
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(std::vector<Assignment> before, Assignments(case_id));
  const std::string current = before.empty() ? "" : before.back().officer;
  if (current == a.officer) {
    return a.officer.empty()
               ? Status::Conflict("case " + case_id + " is assigned to nobody already")
                     .WithZh("案件 " + case_id + " 当前无人承办")
               : Status::Conflict("case " + case_id + " is " + a.officer + "'s already")
                     .WithZh("案件 " + case_id + " 已由 " + a.officer + " 承办");
  }
  a.seq = static_cast<int64_t>(before.size()) + 1;
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("INSERT INTO case_assignments (case_id, seq, "
                                               "officer, by_user, note, at) VALUES (?, ?, ?, ?, "
                                               "?, ?)"));
  st->Bind(1, case_id).Bind(2, a.seq).Bind(3, a.officer).Bind(4, a.by).Bind(5, a.note);
  st->Bind(6, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return a;
}

Result<CaseNote> WorkBook::AddNote(const std::string& case_id, const std::string& text,
                                   const std::string& by, Millis now) {
  CaseNote n{0, std::string(Trim(text)), by, now};
  FANZHA_RETURN_IF_ERROR(CheckText("text", n.text, kMaxNoteBytes));
  if (n.text.empty()) return Field("text", "the note is empty", "备注内容为空");
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(n.seq, NextSeq(db_, "case_notes", case_id));
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db_.Prepare(
          "INSERT INTO case_notes (case_id, seq, text, by_user, at) VALUES (?, ?, ?, ?, ?)"));
  st->Bind(1, case_id).Bind(2, n.seq).Bind(3, n.text).Bind(4, n.by).Bind(5, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return n;
}

Result<Attachment> WorkBook::Attach(const std::string& case_id, AttachmentKind kind,
                                    const std::string& name, const std::string& media_type,
                                    std::string_view content, const std::string& by, Millis now) {
  FANZHA_RETURN_IF_ERROR(CheckFileName(name));
  if (content.empty()) return Field("content", "the file is empty", "文件为空");
  if (static_cast<int64_t>(content.size()) > kMaxAttachmentBytes) {
    return Status(ErrorCode::kTooLarge,
                  "the file is larger than " + std::to_string(kMaxAttachmentBytes >> 20) + " MiB")
        .WithZh("文件超过 " + std::to_string(kMaxAttachmentBytes >> 20) + " MiB");
  }
  Attachment a;
  a.kind = kind;
  a.name = name;
  a.media_type = MediaTypeOf(media_type);
  a.bytes = static_cast<int64_t>(content.size());
  a.sha256 = Sha256Hex(content);
  a.by = by;
  a.at = now;
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(a.seq, NextSeq(db_, "case_attachments", case_id));
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("INSERT INTO case_attachments (case_id, seq, kind, name, media_type, "
                           "bytes, sha256, content, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?)"));
  st->Bind(1, case_id).Bind(2, a.seq).Bind(3, Name(a.kind)).Bind(4, a.name).Bind(5, a.media_type);
  st->Bind(6, a.bytes).Bind(7, a.sha256).BindBlob(8, content).Bind(9, a.by).Bind(10, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return a;
}

Result<std::vector<Assignment>> WorkBook::Assignments(const std::string& case_id) {
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT seq, officer, by_user, note, at FROM "
                                               "case_assignments WHERE case_id = ? ORDER BY seq"));
  st->Bind(1, case_id);
  return store::ReadRows<Assignment>(*st, [](const store::SqlStatement& s) -> Result<Assignment> {
    return Assignment{s.ColumnInt64(0), s.ColumnString(1), s.ColumnString(2), s.ColumnString(3),
                      s.ColumnInt64(4)};
  });
}

Result<std::vector<CaseNote>> WorkBook::Notes(const std::string& case_id) {
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT seq, text, by_user, at FROM case_notes "
                                               "WHERE case_id = ? ORDER BY seq"));
  st->Bind(1, case_id);
  return store::ReadRows<CaseNote>(*st, [](const store::SqlStatement& s) -> Result<CaseNote> {
    return CaseNote{s.ColumnInt64(0), s.ColumnString(1), s.ColumnString(2), s.ColumnInt64(3)};
  });
}

Result<std::vector<Attachment>> WorkBook::Attachments(const std::string& case_id) {
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare(std::string(kAttachmentColumns) +
                                      " FROM case_attachments WHERE case_id = ? ORDER BY seq"));
  st->Bind(1, case_id);
  return store::ReadRows<Attachment>(
      *st, [&](const store::SqlStatement& s) { return ReadAttachment(s, case_id); });
}

Result<std::string> WorkBook::Content(const std::string& case_id, int64_t seq,
                                      Attachment* attachment) {
  FANZHA_RETURN_IF_ERROR(RequireCase(case_id));
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare(std::string(kAttachmentColumns) +
                           ", content FROM case_attachments WHERE case_id = ? AND seq = ?"));
  st->Bind(1, case_id).Bind(2, seq);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return Status::NotFound("case " + case_id + " has no attachment " + std::to_string(seq))
        .WithZh("案件 " + case_id + " 没有附件 " + std::to_string(seq));
  }
  FANZHA_ASSIGN_OR_RETURN(Attachment a, ReadAttachment(*st, case_id));
  std::string content = st->ColumnString(8);
  if (static_cast<int64_t>(content.size()) != a.bytes || Sha256Hex(content) != a.sha256) {
    return Status::Io("attachment " + std::to_string(seq) + " of case " + case_id +
                      " no longer matches its SHA-256: the store was changed")
        .WithZh("案件 " + case_id + " 的附件 " + std::to_string(seq) +
                " 与其 SHA-256 不符：数据库已被改动");
  }
  if (attachment) *attachment = std::move(a);
  return content;
}

Result<std::map<std::string, WorkSummary>> WorkBook::Summaries() {
  std::map<std::string, WorkSummary> out;
  FANZHA_ASSIGN_OR_RETURN(auto assigned, db_.Prepare("SELECT case_id, officer, at FROM "
                                                     "case_assignments ORDER BY case_id, seq"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, assigned->Step());
    if (!row) break;
    WorkSummary& w = out[assigned->ColumnString(0)];
    w.officer = assigned->ColumnString(1);
    w.last_worked = std::max(w.last_worked, assigned->ColumnInt64(2));
  }
  for (const char* table : {"case_notes", "case_attachments"}) {
    FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string("SELECT case_id, COUNT(*), MAX(at) "
                                                             "FROM ") +
                                                 table + " GROUP BY case_id"));
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      WorkSummary& w = out[st->ColumnString(0)];
      (table == std::string_view("case_notes") ? w.notes : w.attachments) = st->ColumnInt64(1);
      w.last_worked = std::max(w.last_worked, st->ColumnInt64(2));
    }
  }
  return out;
}

}  // namespace fanzha::casefile
