// warn/event.h: EventParser over any bytes (events.jsonl lines, as a stream delivers them).
// Invariants: with skip_bad every non-blank line is an event or a reject, never both; without it
// the parse fails exactly when a line was rejected, naming that line; every event meets the
// format's rules (id, from, to present; a payment has a positive amount; its line is a real
// line); an event written back as JSON (times RFC 3339, money in yuan) parses to the same event.
#include <nlohmann/json.hpp>

#include "core/money.h"
#include "core/time.h"
#include "fuzz/fuzz_util.h"
#include "warn/event.h"

using namespace fanzha;
using namespace fanzha::warn;

namespace {

int64_t NonBlankLines(std::string_view text) {
  int64_t n = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    n += !line.empty();
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return n;
}

std::string ToJson(const Event& e) {
  nlohmann::json j;
  j["id"] = e.id;
  j["time"] = FormatTime(e.time);
  j["kind"] = Name(e.kind);
  j["from"] = e.from;
  j["to"] = e.to;
  if (e.duration_s) j["duration_s"] = e.duration_s;
  if (e.amount) j["amount"] = FormatMoney(e.amount);
  if (!e.text.empty()) j["text"] = e.text;
  if (!e.phone.empty()) j["phone"] = e.phone;
  if (!e.device.empty()) j["device"] = e.device;
  return j.dump();
}

bool Same(const Event& a, const Event& b) {
  return a.id == b.id && a.time == b.time && a.kind == b.kind && a.from == b.from && a.to == b.to &&
         a.duration_s == b.duration_s && a.amount == b.amount && a.text == b.text &&
         a.phone == b.phone && a.device == b.device;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventParser* parser = new EventParser();
  std::string_view text = fuzz::Text(data, size);

  EventBatch lenient;
  lenient.Assign(text);
  Status st = parser->Parse(&lenient, /*skip_bad=*/true);
  FUZZ_CHECK(st.ok(), st.ToString());
  int64_t lines = NonBlankLines(text);
  FUZZ_CHECK(static_cast<int64_t>(lenient.events.size() + lenient.rejects.size()) == lines,
             std::to_string(lenient.events.size()) + " events + " +
                 std::to_string(lenient.rejects.size()) + " rejects, " + std::to_string(lines) +
                 " lines");

  EventBatch strict;
  strict.Assign(text);
  Status strict_st = parser->Parse(&strict, /*skip_bad=*/false);
  if (lenient.rejects.empty()) {
    FUZZ_CHECK(strict_st.ok(), strict_st.ToString());
    FUZZ_CHECK(strict.events.size() == lenient.events.size(), "");
  } else {
    FUZZ_CHECK(!strict_st.ok(), lenient.rejects.front());
    FUZZ_CHECK_ERROR(strict_st);
    FUZZ_CHECK(strict_st.code() == ErrorCode::kInvalidInput, strict_st.ToString());
    FUZZ_CHECK(lenient.rejects.front() == strict_st.message(),
               lenient.rejects.front() + " | " + strict_st.message());
  }

  for (const Event& e : lenient.events) {
    FUZZ_CHECK(!e.id.empty() && !e.from.empty() && !e.to.empty(), std::string(e.id));
    FUZZ_CHECK(e.kind != EventKind::kPayment || e.amount > 0, std::to_string(e.amount));
    FUZZ_CHECK(e.line >= 1 && e.line <= static_cast<int64_t>(size) + 1, std::to_string(e.line));
    FUZZ_CHECK(e.amount >= 0 && e.duration_s >= 0, std::string(e.id));
    std::string json = ToJson(e);
    EventBatch again;
    again.Assign(json);
    Status again_st = parser->Parse(&again, /*skip_bad=*/false);
    FUZZ_CHECK(again_st.ok() && again.events.size() == 1, json + ": " + again_st.ToString());
    FUZZ_CHECK(Same(again.events[0], e), json);
  }
  return 0;
}
