// Small, dependency-free text helpers used on hot import paths. Full Unicode normalisation
// (ICU NFKC, OpenCC) lives in normalise/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanzha {

// Maps full-width ASCII forms (U+FF01..U+FF5E, e.g. '１', 'Ａ', '－') to ASCII and the ideographic
// space U+3000 to ' '. Other bytes pass through unchanged. Valid for any UTF-8 input.
std::string FoldAsciiWidth(std::string_view text);

// Removes ASCII white space at both ends.
std::string_view Trim(std::string_view text);

// Splits on a single character; keeps empty fields.
std::vector<std::string_view> Split(std::string_view text, char sep);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view text);

// True when every byte is ASCII.
bool IsAscii(std::string_view text);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF). Everything fanzha stores, logs or answers is checked with this at the boundary.
bool IsValidUtf8(std::string_view text);

// The byte offset of the first byte that is not well-formed UTF-8, or text.size() when all is.
size_t FirstInvalidUtf8(std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD (the replacement
// character), so that bytes from outside can be logged and shown. Valid text is returned as is.
std::string ValidUtf8(std::string_view text);

// At most `max_bytes` of `text`, cut at a character boundary (never in the middle of a UTF-8
// sequence), with "…" appended when something was cut. For bounding what reaches a log or a store.
// `text` must be valid UTF-8.
std::string Utf8Prefix(std::string_view text, size_t max_bytes);

// A piece of untrusted input to quote in a message: valid UTF-8 (see ValidUtf8), at most
// `max_bytes` (then cut with "…"), control characters shown as '?'. Messages echo values so that a
// user sees what was wrong; this keeps a 100 MB value or stray bytes out of them.
std::string Excerpt(std::string_view text, size_t max_bytes = 64);

// `text` made safe to place in HTML text or a quoted attribute: & < > " ' as entities. The one way
// fanzha's own HTML (the daily report, the case file's summary) shows what it did not write.
std::string EscapeHtml(std::string_view text);

// `text` as a whole decimal number within [min, max]: ASCII digits, with one leading '-' only when
// min < 0. Nothing else is accepted: no spaces, '+', exponents, hex or trailing text ("12abc"),
// and a value out of range (also one too large for 64 bits) is no number. The one parser of numbers
// that users type (query parameters, record ids, options); std::stoul would take "-1" as 2^64-1.
std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t min, int64_t max);

}  // namespace fanzha
