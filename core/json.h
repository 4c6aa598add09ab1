// JSON text out of fanzha: the one way to turn a document into text.
//
// Strings in a document may come from the store, and a store written before every boundary checked
// UTF-8 (or edited by hand) can hold bytes that are not UTF-8. nlohmann's dump() throws on those;
// DumpJson replaces each bad byte with U+FFFD instead, so an answer, a listing or a log line never
// fails on a stored string. Thread-safe; O(size of the document).
#pragma once

#include <string>

namespace fanzha {

// `Json` is nlohmann::json or nlohmann::ordered_json. indent -1: one line.
template <typename Json>
std::string DumpJson(const Json& doc, int indent = -1) {
  return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace fanzha
