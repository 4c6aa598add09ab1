// Victims' accounts of what happened (案情), by fraud category, in Simplified or Traditional
// Chinese.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "gen/random.h"

namespace fanzha::gen {

// The categories of FORMATS.md, in a fixed order (indices are stable).
std::span<const std::string_view> Categories();

// Number of scripts (distinct stories a gang tells) of a category; a gang uses one or two.
int ScriptCount(size_t category);

// A victim's narrative: the gang's script told in the victim's own words (openings, synonyms and
// details vary), with the amount in yuan. Traditional when `traditional`.
std::string Narrative(size_t category, int script, int64_t yuan, bool traditional, Rng& rng);

// Simplified -> Traditional for the characters the narratives use (a small table, not OpenCC:
// generation must not depend on an external dictionary's version).
std::string ToTraditional(std::string_view simplified);

}  // namespace fanzha::gen
