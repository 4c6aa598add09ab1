// Narrative similarity for linking: character 3-gram shingles of normalised text and their MinHash
// signature, cut into LSH bands. Internal to link/ (and its tests). Thread-safe, no state.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fanzha::link {

inline constexpr int kSignatureSize = 32;
inline constexpr int kBands = 8;
inline constexpr int kRowsPerBand =
    kSignatureSize / kBands;  // candidate threshold ~ (1/8)^(1/4) = 0.59

using Signature = std::array<uint32_t, kSignatureSize>;

// Counts the code points that take part in shingles: letters, digits and CJK ideographs; white
// space, ASCII and CJK punctuation and symbols are skipped. Invalid UTF-8 bytes count as one each.
int CountTextChars(std::string_view text);

// MinHash of the set of character 3-grams (over the kept code points; a text of 1-2 kept code
// points is one shingle). O(length * kSignatureSize).
Signature MinHash(std::string_view text);

// Fraction of equal positions: an estimate of the Jaccard similarity of the shingle sets.
double EstimateSimilarity(const Signature& a, const Signature& b);

// The LSH key of band `band` (0..kBands-1): a hash of its rows and the band number.
uint64_t BandKey(const Signature& s, int band);

}  // namespace fanzha::link
