// JSON text into and out of fanzha: bounds on untrusted text before it is parsed, and the one way
// to turn a document into text.
//
// In: a JSON document nested thousands deep is cheap to send and costly to hold: every recursive
// walk over the parsed value (serialising it, copying it, comparing it) uses a stack frame per
// level and overflows the stack at some depth. Every reader of untrusted JSON (request bodies,
// imported lines) checks the nesting of the text first, with one linear scan and no allocation.
//
// Out: strings in a document may come from the store, and a store written before every boundary
// checked UTF-8 (or edited by hand) can hold bytes that are not UTF-8. nlohmann's dump() throws on
// those; DumpJson replaces each bad byte with U+FFFD instead, so an answer, a listing or a log line
// never fails on a stored string.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/status.h"

namespace fanzha {

// The nesting most JSON fanzha reads needs is under 5; 64 leaves room for any real document.
inline constexpr int kMaxJsonDepth = 64;

// Ok when no array or object in `text` is nested deeper than `max_depth` (a bare scalar has depth
// 0, `[]` and `{}` depth 1). Otherwise kInvalidInput naming the byte where the limit is passed.
// Brackets inside strings do not count (escapes are honoured). The text need not be valid JSON:
// the scan only counts, and a parser still decides whether it is well formed. O(size), no
// allocation, no recursion.
Status CheckJsonNesting(std::string_view text, int max_depth = kMaxJsonDepth);

// A JSON object from a user, a peer or a file (a request body, a report, a bank's message),
// checked before it is parsed: at most `max_bytes` (else kTooLarge), valid UTF-8, nested at most
// `max_depth` (CheckJsonNesting), an object. Other errors are kInvalidInput. Every error starts
// with `what` ("body", the file's path, "answer") and says it in Chinese with `what_zh`
// ("请求体"). Never throws; O(size).
struct JsonLimits {
  size_t max_bytes = SIZE_MAX;
  int max_depth = kMaxJsonDepth;
};
Result<nlohmann::json> ParseJsonObject(std::string_view text, const std::string& what,
                                       const std::string& what_zh, JsonLimits limits = {});

// `doc` as text, never throwing on bytes that are not UTF-8 (each becomes U+FFFD). `Json` is
// nlohmann::json or nlohmann::ordered_json. indent -1: one line. Thread-safe; O(size of the
// document).
template <typename Json>
std::string DumpJson(const Json& doc, int indent = -1) {
  return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// Fields of a JSON object from a user or a file (a request body, a report), read without an
// exception escaping. A string member, "" when absent or null; kInvalidInput naming `key` when it
// is not a string.
Result<std::string> StringField(const nlohmann::json& obj, const char* key);
// A boolean member, false when absent or null; kInvalidInput naming `key` otherwise.
Result<bool> BoolField(const nlohmann::json& obj, const char* key);
// A count (a whole number from 0 to INT64_MAX), 0 when absent or null; kInvalidInput naming `key`
// for a fraction, a string, a negative number or one too large.
Result<int64_t> CountField(const nlohmann::json& obj, const char* key);
// An amount in yuan given as a string ("12.50") or a number (12.5); kInvalidInput naming `field`
// otherwise (an array or object is refused, never serialised back to text).
Result<Fen> MoneyValue(const nlohmann::json& v, const std::string& field);

}  // namespace fanzha
