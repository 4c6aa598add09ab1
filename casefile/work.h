// The work on a case at an anti-fraud centre: which officer has it, the notes they keep, and the
// files that came with it (报案材料 the victim's statement and screenshots, 法律文书 the decisions
// and notices). Everything is appended and kept: an assignment replaces the one before without
// erasing it, notes are never edited, an attachment is stored whole with its SHA-256.
//
// Limits (a note or a file comes from a person, or from an attacker): a note is at most 4,000
// bytes of UTF-8 text; an officer's name at most 64; a file at most kMaxAttachmentBytes, its name
// at most 200 bytes without path separators or control characters; the media type is only a hint
// and never decides how a file is served.
//
// Tables case_assignments, case_notes and case_attachments (migration 17, casefile/schema/;
// casefile owns them). Thread-compatible, like the Store.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::casefile {

constexpr int64_t kMaxAttachmentBytes = 20LL << 20;  // 20 MiB: a scanned document, a short video
constexpr size_t kMaxNoteBytes = 4000;

struct Assignment {
  int64_t seq = 0;      // 1, 2, ... per case
  std::string officer;  // who has the case from now on; "" when it was taken back
  std::string by;       // who assigned it
  std::string note;
  Millis at = 0;
};

struct CaseNote {
  int64_t seq = 0;
  std::string text;
  std::string by;
  Millis at = 0;
};

enum class AttachmentKind { kReportMaterial, kLegalDocument, kOther };
std::string_view Name(AttachmentKind k);         // "report_material", "legal_document", "other"
std::string_view ChineseName(AttachmentKind k);  // "报案材料", "法律文书", "其他"
// By name or Chinese name. kInvalidInput listing the kinds.
Result<AttachmentKind> ParseAttachmentKind(std::string_view text);

struct Attachment {
  int64_t seq = 0;
  AttachmentKind kind = AttachmentKind::kOther;
  std::string name;        // the file's name as given, checked (see above)
  std::string media_type;  // as given ("application/pdf"), "application/octet-stream" if none
  int64_t bytes = 0;
  std::string sha256;  // of the content, 64 lower-case hex digits
  std::string by;
  Millis at = 0;
};

nlohmann::ordered_json ToJson(const Assignment& a);
nlohmann::ordered_json ToJson(const CaseNote& n);
nlohmann::ordered_json ToJson(const Attachment& a);

// What the queue shows of a case's work, for every case that has any.
struct WorkSummary {
  std::string officer;  // who has it now ("" for nobody)
  int64_t notes = 0;
  int64_t attachments = 0;
  Millis last_worked = 0;  // the latest assignment, note or attachment
};

class WorkBook {
 public:
  explicit WorkBook(store::Store& store) : store_(store), db_(store.sql()) {}

  // Gives case `case_id` to `officer` ("" takes it back). kNotFound for an unknown case;
  // kInvalidInput for a name too long or not text; kConflict when the case is the officer's
  // already.
  Result<Assignment> Assign(const std::string& case_id, const std::string& officer,
                            const std::string& by, const std::string& note, Millis now);
  // Appends a note. kInvalidInput for an empty or too long note; kNotFound for an unknown case.
  Result<CaseNote> AddNote(const std::string& case_id, const std::string& text,
                           const std::string& by, Millis now);
  // Stores a file. kInvalidInput for a bad name or an empty file, kTooLarge beyond the limit,
  // kNotFound for an unknown case.
  Result<Attachment> Attach(const std::string& case_id, AttachmentKind kind,
                            const std::string& name, const std::string& media_type,
                            std::string_view content, const std::string& by, Millis now);

  // In the order they were made. kNotFound for an unknown case.
  Result<std::vector<Assignment>> Assignments(const std::string& case_id);
  Result<std::vector<CaseNote>> Notes(const std::string& case_id);
  Result<std::vector<Attachment>> Attachments(const std::string& case_id);
  // The content of attachment `seq`, checked against its SHA-256 (kIoError when the stored bytes
  // no longer match: someone changed the store). kNotFound for an unknown case or attachment.
  Result<std::string> Content(const std::string& case_id, int64_t seq, Attachment* attachment);

  // Every case with any work on it, by case id. O(rows of the three tables).
  Result<std::map<std::string, WorkSummary>> Summaries();

 private:
  Status RequireCase(const std::string& case_id);
  store::Store& store_;
  store::SqlDatabase& db_;
};

}  // namespace fanzha::casefile
