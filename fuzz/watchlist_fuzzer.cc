// warn/watchlist.h: ReadWatchlistJsonl over any bytes (the file `fanzha warn --watchlist` reads).
// Invariants: nothing throws; a bad line is kInvalidInput naming the file and the line; every
// entry read is found under its kind and match key; the list written with WriteWatchlistJsonl
// reads back as the same entries, in the same order, with the same list version.
#include <sstream>

#include "fuzz/fuzz_util.h"
#include "warn/watchlist.h"

using namespace fanzha;
using namespace fanzha::warn;

namespace {

bool Same(const Entry& a, const Entry& b) {
  return a.kind == b.kind && a.value == b.value && a.source == b.source &&
         a.category == b.category && a.expires_at == b.expires_at && a.version == b.version &&
         a.cases == b.cases && a.hub == b.hub && a.removed == b.removed;
}

std::string Written(const Watchlist& list) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = ::open_memstream(&buf, &len);
  FUZZ_CHECK(f != nullptr, "open_memstream");
  Status st = WriteWatchlistJsonl(list, f);
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  FUZZ_CHECK(st.ok(), st.ToString());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in{std::string(fuzz::Text(data, size))};
  Watchlist list;
  Status st = ReadWatchlistJsonl(in, "wl.jsonl", &list);
  if (!st.ok()) {
    FUZZ_CHECK(st.code() == ErrorCode::kInvalidInput, st.ToString());
    FUZZ_CHECK(st.message().starts_with("wl.jsonl:"), st.ToString());
    FUZZ_CHECK_ERROR(st);
  }
  list.ForEach([&](Watchlist::Index i, const Entry& e) {
    FUZZ_CHECK(!e.value.empty(), e.id());
    FUZZ_CHECK(list.Find(e.kind, e.value) == i, e.id());
  });

  std::string text = Written(list);
  std::istringstream again_in(text);
  Watchlist again;
  Status again_st = ReadWatchlistJsonl(again_in, "again.jsonl", &again);
  FUZZ_CHECK(again_st.ok(), again_st.ToString() + "\n" + text);
  FUZZ_CHECK(again.size() == list.size(), text);
  FUZZ_CHECK(again.version() == list.version(),
             std::to_string(again.version()) + " != " + std::to_string(list.version()));
  list.ForEach([&](Watchlist::Index i, const Entry& e) {
    Entry back = again.Get(i);
    FUZZ_CHECK(Same(e, back), e.id() + " read back as " + back.id() + "\n" + text);
  });
  return 0;
}
