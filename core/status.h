// Errors as values. Expected failures (bad input, unknown ids, conflicts) are returned as a
// Status or a Result<T>; asserts and exceptions are only for broken invariants (bugs).
//
// Every error has a code from the one list below, with the HTTP status the server answers with and
// the process exit code the command line exits with, so that the CLI, the server and the tests
// agree.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace fanzha {

// X(code, http_status, exit_code, what it means, the same for a user who reads Chinese)
#define FANZHA_ERROR_CODES(X)                                                                     \
  X(kOk, 200, 0, "ok", "成功")                                                                    \
  X(kInvalidInput, 400, 2, "the input is malformed or breaks a rule", "输入格式错误或不符合规则") \
  X(kNotFound, 404, 3, "no such record", "记录不存在")                                            \
  X(kConflict, 409, 4, "the record exists with different content", "记录已存在且内容不同")        \
  X(kUnauthorized, 401, 5, "not logged in", "未登录")                                             \
  X(kForbidden, 403, 6, "not allowed for this user", "当前用户无此权限")                          \
  X(kIoError, 500, 7, "a file or the store could not be read or written", "文件或数据库读写失败") \
  X(kSchemaMismatch, 500, 8, "the store was written by an incompatible version",                  \
    "数据库由不兼容的版本写入")                                                                   \
  X(kTooLarge, 413, 10, "the input is larger than allowed", "输入超出允许的大小")                 \
  X(kTooMany, 429, 11, "too many attempts; wait and try again", "尝试次数过多，请稍后再试")       \
  X(kUnavailable, 503, 12, "the server is busy; try again shortly", "服务器繁忙，请稍后再试")     \
  X(kInternal, 500, 9, "a bug: an invariant was broken", "内部错误（程序缺陷）")

enum class ErrorCode {
#define FANZHA_ENUM(code, http, exit, what, zh) code,
  FANZHA_ERROR_CODES(FANZHA_ENUM)
#undef FANZHA_ENUM
};

// Short name of the code ("invalid_input"), used in JSON error bodies.
const char* ErrorCodeName(ErrorCode code);
int HttpStatus(ErrorCode code);
int ExitCode(ErrorCode code);
// What the code means, in Chinese ("输入格式错误或不符合规则"): the zh-CN line of an error that
// carries no Chinese text of its own.
const char* ErrorCodeZh(ErrorCode code);

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
  // The message for a user who reads Chinese. Every user-facing error has one: the text given with
  // WithZh(), else the code's meaning from the table above (ErrorCodeZh), followed by the English
  // details where they carry values (file:line, field names, ids are the same in both languages).
  std::string zh() const;
  // The same status with its Chinese text: Status::Invalid("body too
  // deep").WithZh("请求体嵌套过深").
  Status WithZh(std::string zh) const {
    Status s = *this;
    s.zh_ = std::move(zh);
    return s;
  }
  // "invalid_input: transfers.csv:12: amount: ..." style text for logs and the CLI.
  std::string ToString() const;

  // The same status (code and Chinese text) with another English message.
  Status WithMessage(std::string message) const {
    Status s = *this;
    s.message_ = std::move(message);
    return s;
  }

  // Prefixes the message with where it happened: "FILE:LINE: field: " style context.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status s(code_, context + ": " + message_);
    if (!zh_.empty()) s.zh_ = context + ": " + zh_;
    return s;
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string zh_;  // empty: ErrorCodeZh(code_) with the English message
};

// A value or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
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

// `st` with `prefix` before its message ("transfers[2].amount: " + "missing"), and before its
// Chinese text when it has one of its own (not the code's generic line, which carries the English
// message and so the prefix already). Ok stays Ok.
Status FieldOf(const std::string& prefix, const Status& st);

}  // namespace fanzha

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define FANZHA_RETURN_IF_ERROR(expr) \
  do {                               \
    ::fanzha::Status _st = (expr);   \
    if (!_st.ok()) return _st;       \
  } while (0)

#define FANZHA_CONCAT_INNER(a, b) a##b
#define FANZHA_CONCAT(a, b) FANZHA_CONCAT_INNER(a, b)
// `FANZHA_ASSIGN_OR_RETURN(auto x, MaybeX());` declares x from a Result, or returns its Status.
#define FANZHA_ASSIGN_OR_RETURN(decl, expr)                                                 \
  auto FANZHA_CONCAT(_res_, __LINE__) = (expr);                                             \
  if (!FANZHA_CONCAT(_res_, __LINE__).ok()) return FANZHA_CONCAT(_res_, __LINE__).status(); \
  decl = std::move(FANZHA_CONCAT(_res_, __LINE__)).value()
