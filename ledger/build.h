// Internal to ledger/: transfers on their way into a Ledger (Builder, Load, Extract), in plain form
// until Ledger::Seal packs them into the compact columns.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/ledger.h"

namespace fanzha::ledger {

struct Ledger::Staging {
  struct Transfer {
    Millis time;
    Fen amount;
    AccountIndex from;
    AccountIndex to;
  };
  std::vector<Transfer> rows;
  std::vector<uint8_t> channel;
  std::string id_text;
  std::vector<uint64_t> id_offset{0};  // id i = id_text[id_offset[i] .. id_offset[i + 1])
  // Institution and region names -> index in the ledger's names_ (which starts with "").
  std::unordered_map<std::string, uint32_t> names{{"", 0}};

  std::string_view id(size_t i) const {
    return std::string_view(id_text).substr(id_offset[i], id_offset[i + 1] - id_offset[i]);
  }
  void Add(const Transfer& row, Channel c, std::string_view transfer_id) {
    rows.push_back(row);
    channel.push_back(static_cast<uint8_t>(c));
    id_text.append(transfer_id);
    id_offset.push_back(id_text.size());
  }
  void Reserve(size_t n, size_t id_bytes) {
    rows.reserve(n);
    channel.reserve(n);
    id_offset.reserve(n + 1);
    id_text.reserve(id_bytes);
  }
  // The index of a name in `ledger`'s name table, added when new.
  uint32_t Name(Ledger& ledger, std::string_view name) {
    auto [it, added] =
        names.try_emplace(std::string(name), static_cast<uint32_t>(ledger.names_.size()));
    if (added) ledger.names_.emplace_back(name);
    return it->second;
  }
};

}  // namespace fanzha::ledger
