// One search box for everything a user holds in hand: a phone as it was typed ("138 0013 8000"), a
// bank card, a WeChat or QQ id, a URL, an e-mail, a 身份证 number, a case id. The text is
// normalised as each identifier type normalises what cases report (normalise/normalise.h), and
// matched exactly against the cases' identifiers (an index lookup per type), the stored accounts
// and the case ids. Names are not searched (they are not identifiers: one name, many people).
//
// One answer for every skin (`fanzha search`, GET /api/search): {"query", "cases": [{"id",
// "reported_at", "region", "category", "loss", "matched": [{"type", "value"}]}], "accounts":
// [{"account", "holder", "institution", "region", "kind"}]}, cases by id.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/model.h"
#include "core/status.h"
#include "store/store.h"

namespace fanzha::app {

// The longest text searched (longer: kInvalidInput naming `q`).
inline constexpr size_t kMaxSearchBytes = 256;

// Searches `store` for `text` (see above); `may_read` says which cases the caller may see (others
// are left out as if they did not exist), at most `limit` cases. Errors: kInvalidInput for an
// empty or too long text; the store's.
Result<nlohmann::ordered_json> Search(store::Store& store, std::string_view text, size_t limit,
                                      const std::function<bool(const Case&)>& may_read);

}  // namespace fanzha::app
