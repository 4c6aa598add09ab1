#include "core/status.h"

namespace fanzha {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kSchemaMismatch:
      return "schema_mismatch";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kTooMany:
      return "too_many";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

int HttpStatus(ErrorCode code) {
  switch (code) {
#define FANZHA_HTTP(c, http, exit, what, zh) \
  case ErrorCode::c:                         \
    return http;
    FANZHA_ERROR_CODES(FANZHA_HTTP)
#undef FANZHA_HTTP
  }
  return 500;
}

int ExitCode(ErrorCode code) {
  switch (code) {
#define FANZHA_EXIT(c, http, exit, what, zh) \
  case ErrorCode::c:                         \
    return exit;
    FANZHA_ERROR_CODES(FANZHA_EXIT)
#undef FANZHA_EXIT
  }
  return 9;
}

const char* ErrorCodeZh(ErrorCode code) {
  switch (code) {
#define FANZHA_ZH(c, http, exit, what, zh) \
  case ErrorCode::c:                       \
    return zh;
    FANZHA_ERROR_CODES(FANZHA_ZH)
#undef FANZHA_ZH
  }
  return "内部错误（程序缺陷）";
}

std::string Status::zh() const {
  if (ok()) return ErrorCodeZh(code_);
  if (!zh_.empty()) return zh_;
  return std::string(ErrorCodeZh(code_)) + "：" + message_;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return message_;
}

Status FieldOf(const std::string& prefix, const Status& st) {
  if (st.ok()) return st;
  Status out = st.WithMessage(prefix + st.message());
  const std::string zh = st.zh();
  return zh.starts_with(ErrorCodeZh(st.code())) ? out : out.WithZh(prefix + zh);
}

}  // namespace fanzha
