// Bounds on untrusted JSON text, checked before it is parsed.
//
// A JSON document nested thousands deep is cheap to send and costly to hold: every recursive
// walk over the parsed value (serialising it, copying it, comparing it) uses a stack frame per
// level and overflows the stack at some depth. Every reader of untrusted JSON (request bodies,
// imported lines) checks the nesting of the text first, with one linear scan and no allocation.
#pragma once

#include <string_view>

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

}  // namespace fanzha
