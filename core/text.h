// Small, dependency-free text helpers used on hot import paths. Full Unicode normalisation
// (ICU NFKC, OpenCC) lives in normalise/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fanzha {

// Maps full-width ASCII forms (U+FF01..U+FF5E, e.g. '１', 'Ａ', '－') to ASCII and the ideographic
// space U+3000 to ' '. Other bytes pass through unchanged. Valid for any UTF-8 input.
std::string FoldAsciiWidth(std::string_view text);

// Removes ASCII white space at both ends.
std::string_view Trim(std::string_view text);

// Splits on a single character; keeps empty fields.
std::vector<std::string_view> Split(std::string_view text, char sep);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view text);

// True when every byte is ASCII.
bool IsAscii(std::string_view text);

}  // namespace fanzha
