// interchange/messages.h and interchange/directory.h: ParseRequest, ParseAnswer, EnvelopeOf and
// ParseAnnouncement over any bytes (what arrives from NATS: a bank's answers, the platform's
// requests at a bank node, the banks' announcements).
// Invariants: nothing throws; errors are kInvalidInput or kTooLarge (above the contract's size)
// with a message in both languages; what parses is written by ToJson as a message that parses to
// the same message (written again, the same bytes); the envelope of a request that parses names
// its id and kind; an announcement's prefixes are 1-11 digits each.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_util.h"
#include "interchange/directory.h"
#include "interchange/messages.h"

using namespace fanzha;
using namespace fanzha::interchange;

namespace {

void CheckRefusal(const Status& st, std::string_view bytes, size_t limit) {
  FUZZ_CHECK(st.code() == ErrorCode::kInvalidInput || st.code() == ErrorCode::kTooLarge,
             st.ToString());
  FUZZ_CHECK((st.code() == ErrorCode::kTooLarge) == (bytes.size() > limit), st.ToString());
  FUZZ_CHECK_ERROR(st);
}

template <typename Message, typename Parse>
void CheckRoundTrip(const Message& m, Parse parse) {
  const std::string text = ToJson(m);
  auto again = parse(text);
  FUZZ_CHECK(again.ok(), again.status().ToString() + "\n" + text);
  FUZZ_CHECK(ToJson(*again) == text, text + "\n" + ToJson(*again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::Text(data, size);

  Result<Request> request = ParseRequest(bytes);
  if (request.ok()) {
    // The envelope names the request a message is about: its `request` when it has one (an
    // answer's), else its `id`.
    Envelope e = EnvelopeOf(bytes);
    const nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, false);
    if (!doc.contains("request")) FUZZ_CHECK(e.id == request->id, e.id + " != " + request->id);
    if (request->version == kVersion) {
      FUZZ_CHECK(e.kind && *e.kind == request->kind, request->id);
      CheckRoundTrip(*request, [](std::string_view t) { return ParseRequest(t); });
    }
  } else {
    CheckRefusal(request.status(), bytes, kMaxRequestBytes);
    (void)EnvelopeOf(bytes);  // must not throw either
  }

  Result<Answer> answer = ParseAnswer(bytes);
  if (answer.ok()) {
    FUZZ_CHECK(answer->version == kVersion, answer->id);
    if (answer->statement) {
      FUZZ_CHECK(answer->statement->rows >= 0 && answer->statement->rows <= kMaxStatementRows,
                 answer->id);
      FUZZ_CHECK(!answer->statement->opening || *answer->statement->opening >= 0, answer->id);
    }
    CheckRoundTrip(*answer, [](std::string_view t) { return ParseAnswer(t); });
  } else {
    CheckRefusal(answer.status(), bytes, kMaxAnswerBytes);
  }

  Result<Announcement> announced = ParseAnnouncement(bytes);
  if (announced.ok()) {
    FUZZ_CHECK(announced->prefixes.size() <= kMaxPrefixes, announced->institution);
    for (const std::string& p : announced->prefixes) FUZZ_CHECK(CheckPrefix(p).ok(), p);
    CheckRoundTrip(*announced, [](std::string_view t) { return ParseAnnouncement(t); });
  } else {
    CheckRefusal(announced.status(), bytes, kMaxAnnouncementBytes);
  }
  return 0;
}
