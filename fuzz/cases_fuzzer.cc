// cases.jsonl lines through import::ParseCase, the parse step of the cases importer (and of a
// report posted to the server): each line of the input is one line of the file.
// Invariants: nothing throws; a bad line is kInvalidInput; an accepted case has an id and valid
// UTF-8 everywhere; written back as a canonical cases.jsonl line it parses to the same case (the
// normalised values are a fixed point of normalisation).
#include "fuzz/fuzz_util.h"
#include "fuzz/records.h"
#include "import/import.h"

using namespace fanzha;

namespace {

void CheckText(const Case& c) {
  auto valid = [&](const std::string& s) {
    FUZZ_CHECK(IsValidUtf8(s), "case [" + c.id + "]: stored text is not UTF-8");
  };
  for (const std::string* s : {&c.id, &c.region, &c.category, &c.narrative, &c.victim.name,
                               &c.victim.phone, &c.victim.account}) {
    valid(*s);
  }
  for (const std::string& t : c.transfers) valid(t);
  for (const Identifier& id : c.identifiers) {
    valid(id.raw);
    valid(id.value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    Result<Case> c = import::ParseCase(line);
    if (!c.ok()) {
      FUZZ_CHECK(c.status().code() == ErrorCode::kInvalidInput, c.status().ToString());
      FUZZ_CHECK_ERROR(c.status());
      continue;
    }
    FUZZ_CHECK(!c->id.empty(), std::string(line));
    CheckText(*c);
    std::string canonical = fuzz::CaseJson(*c);
    Result<Case> back = import::ParseCase(canonical);
    FUZZ_CHECK(back.ok(), canonical + ": " + back.status().ToString());
    FUZZ_CHECK(fuzz::Same(*back, *c),
               "parsed:\n" + fuzz::Describe(*c) + "\nread back:\n" + fuzz::Describe(*back));
  }
  return 0;
}
