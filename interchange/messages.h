// The messages of the bank interchange (docs/spec/INTERCHANGE.md): requests from the platform to
// a bank and the bank's answers, as values, with their JSON forms, and the names of subjects,
// streams and message ids. Pure functions: no I/O, thread-safe.
//
// Every message that arrives is untrusted: ParseRequest() and ParseAnswer() read at most the
// contract's size, check nesting, UTF-8, types and limits, and answer a Status naming the field
// (kTooLarge above the size, kInvalidInput otherwise); no exception leaves them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::interchange {

inline constexpr int kVersion = 1;
inline constexpr size_t kMaxRequestBytes = 65536;
inline constexpr size_t kMaxAnswerBytes = 1048576;
inline constexpr int kMaxDepth = 8;
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxNameBytes = 256;
inline constexpr size_t kMaxMessageBytes = 1024;
inline constexpr int64_t kMaxStatementRows = 5000;
inline constexpr size_t kMaxStatementCsvBytes = 900000;
// How far a bank's booking of the victim's payment may be from the time the request gives.
inline constexpr Millis kPaymentTimeTolerance = 10 * 60 * 1000;

// ---- Names on the wire ----------------------------------------------------------------------

// The subject token of an institution: the name itself when it is 1-64 of [A-Za-z0-9-], else '_'
// and the lower-case hex of its UTF-8 bytes. kInvalidInput for an empty name, one above 64 bytes
// or not valid UTF-8.
Result<std::string> InstitutionToken(std::string_view institution);
std::string RequestSubject(std::string_view token);  // fanzha.req.<token>
std::string AnswerSubject(std::string_view token);   // fanzha.ans.<token>
std::string RequestStream(std::string_view token);   // FANZHA_REQ_<token>
inline constexpr std::string_view kAnswerStream = "FANZHA_ANS";
inline constexpr std::string_view kAnswerSubjects = "fanzha.ans.*";
inline constexpr std::string_view kBankConsumer = "bank";
inline constexpr std::string_view kPlatformConsumer = "platform";
// The token of an answer subject ("fanzha.ans.<token>"), or "" when the subject is not one.
std::string_view AnswerSubjectToken(std::string_view subject);

// A platform name: 1-32 of [A-Za-z0-9-]. kInvalidInput otherwise.
Status CheckPlatformName(std::string_view platform);
std::string OrderRef(std::string_view platform, int64_t order);        // "<platform>/<order>"
std::string QueryRef(std::string_view platform, int64_t query);        // "<platform>/q<query>"
std::string OrderRequestId(std::string_view platform, int64_t order);  // "<platform>/order/<n>"
std::string RenewalRequestId(std::string_view platform, int64_t order, int renewal);
std::string QueryRequestId(std::string_view platform, int64_t query);  // "<platform>/query/<n>"
std::string FinalAnswerId(std::string_view request);                   // "<request>#final"
std::string PendingAnswerId(std::string_view request);                 // "<request>#pending"

// ---- Requests -------------------------------------------------------------------------------

enum class Kind { kStopPayment, kFreeze, kRenewal, kRelease, kStatement };
std::string_view Name(Kind k);  // "stop_payment" | "freeze" | "renewal" | "release" | "statement"
Result<Kind> ParseKind(std::string_view s);

struct Party {
  std::string name;  // the officer's user name
  std::string unit;  // GB/T 2260 code of the unit
};

struct AccountRef {
  std::string number;
  std::string name;  // the holder
};

struct Payment {
  Fen amount = 0;
  Millis time = 0;
};

struct Request {
  int version = kVersion;
  std::string id;
  Kind kind = Kind::kStopPayment;
  std::string institution;
  Millis sent_at = 0;
  // `order` (stop_payment, freeze, renewal, release) or `query` (statement).
  std::string ref;  // order.id or query.id
  std::string case_id;
  std::string document;
  Party requested_by;
  AccountRef account;              // not in a renewal
  std::optional<Payment> payment;  // stop_payment: required; freeze: optional
  Fen amount = 0;                  // stop_payment, freeze: the traced money held there
  int renewal = 0;                 // renewal: which one (1, 2, ...)
  std::string releases;            // release: the order whose hold to lift
  Millis from = 0, to = 0;         // statement: the window [from, to)
};

std::string ToJson(const Request& r);
// Reads a request (at most kMaxRequestBytes). A higher `interchange` version parses as far as the
// envelope (id, kind, institution) and comes back with that version: check it before acting.
Result<Request> ParseRequest(std::string_view bytes);
// What can be read of a message that fails to parse: its id ("" when none) and kind.
struct Envelope {
  std::string id;
  std::optional<Kind> kind;
};
Envelope EnvelopeOf(std::string_view bytes);

// ---- Answers --------------------------------------------------------------------------------

enum class AnswerStatus { kExecuted, kRejected, kPending };
std::string_view Name(AnswerStatus s);  // "executed" | "rejected" | "pending"

struct Statement {
  std::string account;
  Millis from = 0, to = 0;
  int64_t rows = 0;
  bool complete = true;
  Millis next_from = 0;  // when not complete: the time of the first posting left out
  std::string csv;       // FORMATS.md's bank statement format, header first
  // The account's balance just before `from` by TRACING.md's rule (what the bank's books say):
  // a trace that starts the account here needs it. Absent from banks that do not say.
  std::optional<Fen> opening;
};

struct Answer {
  int version = kVersion;
  std::string id;
  std::string request;
  Kind kind = Kind::kStopPayment;
  std::string institution;
  AnswerStatus status = AnswerStatus::kExecuted;
  Millis answered_at = 0;
  int64_t bank_ms = 0;
  // executed
  Fen amount = 0;
  Millis at = 0;
  Millis deadline = 0;  // 0: none (release, statement)
  int renewals = 0;
  // rejected (code, facts, messages) and pending (messages)
  std::string code;
  std::vector<std::string> facts;
  std::string message;
  std::string message_zh;
  std::optional<Statement> statement;
};

std::string ToJson(const Answer& a);
// Reads an answer (at most kMaxAnswerBytes). A higher version is an error here: the platform
// applies only what it understands.
Result<Answer> ParseAnswer(std::string_view bytes);

// Builds the final `rejected` answer to `request_id` (of `kind`, from `institution`).
Answer Rejection(std::string request_id, Kind kind, std::string institution, std::string code,
                 std::vector<std::string> facts, std::string message, std::string message_zh,
                 Millis now);

}  // namespace fanzha::interchange
