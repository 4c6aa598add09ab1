#include "core/status.h"

namespace fanzha {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kSchemaMismatch: return "schema_mismatch";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

int HttpStatus(ErrorCode code) {
  switch (code) {
#define FANZHA_HTTP(c, http, exit, what) \
  case ErrorCode::c:                     \
    return http;
    FANZHA_ERROR_CODES(FANZHA_HTTP)
#undef FANZHA_HTTP
  }
  return 500;
}

int ExitCode(ErrorCode code) {
  switch (code) {
#define FANZHA_EXIT(c, http, exit, what) \
  case ErrorCode::c:                     \
    return exit;
    FANZHA_ERROR_CODES(FANZHA_EXIT)
#undef FANZHA_EXIT
  }
  return 9;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return message_;
}

}  // namespace fanzha
