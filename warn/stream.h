// Screening a stream: events.jsonl from a file descriptor (a file, a pipe, stdin), optionally
// followed as it grows (like tail -f), screened on two threads: the caller's thread reads and
// parses, a screening thread runs the Screener and reports warnings.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "warn/screener.h"

namespace fanzha::warn {

struct StreamOptions {
  bool follow = false;    // at end of input, wait for more instead of ending
  bool skip_bad = false;  // bad lines are counted and reported to on_reject instead of failing
  size_t chunk_bytes = 1 << 20;
  Millis poll_ms = 1;         // follow: how long to wait (through the Clock) when there is no data
  size_t queue_batches = 16;  // parsed batches waiting for the screening thread, at most
  // follow: asked between waits; true ends the stream (after screening what was read).
  std::function<bool()> stop;
};

struct StreamStats {
  int64_t lines = 0;  // non-empty lines read
  int64_t events = 0;
  int64_t rejects = 0;  // bad lines skipped (skip_bad)
};

// Reads `fd` to its end (or, following, until stop() says so) and screens every event with
// `screener`. `on_warning` runs on the screening thread for every warning line (first or update);
// `on_reject` (may be empty) on the reading thread for every bad line with skip_bad. A bad line
// without skip_bad ends the stream with kInvalidInput naming `name`, the line and the field (the
// warnings for the lines before it have been reported). A read error is kIoError.
// The screener is used only by the screening thread while this runs.
Result<StreamStats> ScreenStream(int fd, const std::string& name, Screener* screener,
                                 const Clock* clock, const StreamOptions& options,
                                 const std::function<void(const Warning&)>& on_warning,
                                 const std::function<void(const std::string&)>& on_reject = {});

}  // namespace fanzha::warn
