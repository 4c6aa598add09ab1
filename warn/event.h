// Observed events (FORMATS.md "events.jsonl"), parsed without copying: an Event views the text of
// the EventBatch it was parsed from.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::warn {

enum class EventKind : uint8_t { kCall, kSms, kPayment, kVisit, kAppInstall };
std::string_view Name(EventKind kind);

// Field values as written (not normalised). Optional fields are empty / 0 when absent.
struct Event {
  std::string_view id;
  Millis time = 0;
  EventKind kind = EventKind::kCall;
  std::string_view from;   // caller, sender, payer account, visitor, installer
  std::string_view to;     // callee, recipient, payee account or id, URL, app
  int64_t duration_s = 0;  // calls
  Fen amount = 0;          // payments
  std::string_view text;   // SMS
  // Extensions (optional): the payer's registered mobile on a payment (银行预留手机号), which
  // lets a payment join the warning of the person who took the call; the device (IMEI) that
  // placed a call or sent an SMS.
  std::string_view phone;
  std::string_view device;
  int64_t line = 0;  // 1-based line in the stream
};

// Whole lines of a stream and the events parsed from them. Events stay valid while the batch lives
// (moving the batch keeps them valid too).
struct EventBatch {
  // The text: whole lines. Capacity includes the padding the JSON parser needs; fill it with
  // Assign() or append and call Pad().
  std::string text;
  int64_t first_line = 1;
  std::vector<Event> events;
  std::vector<std::string> rejects;   // "line 12: time: ..." for lines that failed
  std::deque<std::string> unescaped;  // strings that carried JSON escapes
  int64_t read_at_us = 0;             // when the reader had the text (latency measurement)

  void Assign(std::string_view lines);
  void Pad();  // ensures the padding after text.size()
};

// Parses events.jsonl lines with simdjson (On Demand). One parser per thread.
class EventParser {
 public:
  EventParser();
  ~EventParser();
  // Parses every non-empty line of batch->text into batch->events. A bad line (not JSON, a missing
  // or malformed field, an unknown kind) is an error naming the line and the field; with
  // `skip_bad` it is recorded in batch->rejects instead and parsing goes on. Unknown fields are
  // ignored. O(text length).
  Status Parse(EventBatch* batch, bool skip_bad);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanzha::warn
