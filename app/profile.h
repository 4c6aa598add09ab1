// The profile of one identifier or account: everything fanzha knows of a phone, a card, a WeChat
// id, a URL or a 身份证 number, on one page (`fanzha profile`, GET /api/profile).
//
// The value is normalised as cases' identifiers are ("138 0013 8000" -> "+8613800138000"). The
// answer: {"type", "value", "cases": [{"id", "reported_at", "region", "region_name", "category",
// "category_zh", "loss"}], "account": {"account", "holder", "institution", "region",
// "region_name", "kind"} or null, "money": {...} or null, "orders": [<order>], "warnings":
// [<queued warning>]}. `account` and `money` are given for an account the store knows (type
// account, or a value that is a stored account whatever the type asked); `money`, from the ledger:
// {"received": {"count", "amount"}, "paid": {"count", "amount"}, "first", "last", "balance",
// "counterparties": [{"account", "received", "paid", "transfers"}] (the 10 with the most money
// either way), "recent": [{"id", "time", "from", "to", "amount", "channel"}] (the 20 latest)}.
// Cases the caller may not read are left out as if they did not exist, and so are orders of those
// cases and warnings outside `may_see_warnings`.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace fanzha::app {

struct ProfileScope {
  std::function<bool(const Case&)> may_read_case;
  std::function<bool(const std::string& region)> may_see_warnings;
};

// The profile of `value` as an identifier of `type` (see above); `ledger` (may be null: no money)
// is the ledger of the store. kInvalidInput for an empty or too long value (naming `value`), or a
// value that normalises to nothing. Cost: index lookups, the account's transfers once
// (O(degree)), and a scan of the stored warnings.
Result<nlohmann::ordered_json> Profile(store::Store& store, const ledger::Ledger* ledger,
                                       IdentifierType type, std::string_view value,
                                       const ProfileScope& scope);

}  // namespace fanzha::app
