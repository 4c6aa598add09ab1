// The JSON shapes of linking's answers: one per answer, whichever skin serves it (`fanzha link
// --json`, GET /api/clusters). The clusters document is the contract of docs/spec/LINKING.md
// ("Answer"); money as yuan strings.
#pragma once

#include <nlohmann/json.hpp>

#include "link/link.h"

namespace fanzha::link {

// {"clusters": [{"id", "cases", "loss", "regions", "evidence": [{"cases", "kind", "value",
//  "weight"}]}], "hubs": [{"kind", "value", "cases"}]}, in the Answer's order.
nlohmann::ordered_json ToJson(const Answer& answer);

// {"case", "cluster" (null when linked to nothing), "cases", "evidence" (as above), "reached":
//  [{"case", "via"}], "set_aside": [hubs as above], "weak_money": [accounts]}.
nlohmann::ordered_json ToJson(const Explanation& explanation);

}  // namespace fanzha::link
