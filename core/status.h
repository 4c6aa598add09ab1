// Errors as values. Expected failures (bad input, unknown ids, conflicts) are returned as a
// Status or a Result<T>; asserts and exceptions are only for broken invariants (bugs).
//
// Every error has a code from the one list below, with the HTTP status the server answers with and
// the process exit code the command line exits with, so that the CLI, the server and the tests agree.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace fanzha {

// X(code, http_status, exit_code, what it means)
#define FANZHA_ERROR_CODES(X)                                                    \
  X(kOk, 200, 0, "ok")                                                           \
  X(kInvalidInput, 400, 2, "the input is malformed or breaks a rule")           \
  X(kNotFound, 404, 3, "no such record")                                         \
  X(kConflict, 409, 4, "the record exists with different content")               \
  X(kUnauthorized, 401, 5, "not logged in")                                      \
  X(kForbidden, 403, 6, "not allowed for this user")                             \
  X(kIoError, 500, 7, "a file or the store could not be read or written")        \
  X(kSchemaMismatch, 500, 8, "the store was written by an incompatible version") \
  X(kInternal, 500, 9, "a bug: an invariant was broken")

enum class ErrorCode {
#define FANZHA_ENUM(code, http, exit, what) code,
  FANZHA_ERROR_CODES(FANZHA_ENUM)
#undef FANZHA_ENUM
};

// Short name of the code ("invalid_input"), used in JSON error bodies.
const char* ErrorCodeName(ErrorCode code);
int HttpStatus(ErrorCode code);
int ExitCode(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return {ErrorCode::kInvalidInput, std::move(m)}; }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Status Io(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_input: transfers.csv:12: amount: ..." style text for logs and the CLI.
  std::string ToString() const;

  // Prefixes the message with where it happened: "FILE:LINE: field: " style context.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "a Result is built from an error Status only");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace fanzha

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define FANZHA_RETURN_IF_ERROR(expr)         \
  do {                                       \
    ::fanzha::Status _st = (expr);           \
    if (!_st.ok()) return _st;               \
  } while (0)

#define FANZHA_CONCAT_INNER(a, b) a##b
#define FANZHA_CONCAT(a, b) FANZHA_CONCAT_INNER(a, b)
// `FANZHA_ASSIGN_OR_RETURN(auto x, MaybeX());` declares x from a Result, or returns its Status.
#define FANZHA_ASSIGN_OR_RETURN(decl, expr)                              \
  auto FANZHA_CONCAT(_res_, __LINE__) = (expr);                          \
  if (!FANZHA_CONCAT(_res_, __LINE__).ok())                              \
    return FANZHA_CONCAT(_res_, __LINE__).status();                      \
  decl = std::move(FANZHA_CONCAT(_res_, __LINE__)).value()
