// Helpers for the warn tests: events from JSON lines, entries by raw value.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "warn/warn.h"

namespace fanzha::warn::testing {

// Parses JSON lines into a batch (which owns the text the events view).
inline EventBatch Events(const std::string& lines) {
  EventBatch b;
  b.Assign(lines);
  EventParser parser;
  Status st = parser.Parse(&b, false);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return b;
}

inline Watchlist::Index Put(Watchlist* list, EntryKind kind, const std::string& raw,
                            const std::string& source = "case:HZ-1", Millis expires = 0) {
  Entry e;
  e.kind = kind;
  e.value = MatchKey(kind, raw);
  e.source = source;
  e.expires_at = expires;
  e.cases = 1;
  auto r = list->Put(e);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Watchlist::kNone;
}

inline Millis T(const char* text) { return *ParseTime(text); }

}  // namespace fanzha::warn::testing
