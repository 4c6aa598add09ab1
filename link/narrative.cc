#include "link/narrative.h"

#include <limits>
#include <vector>

namespace fanzha::link {
namespace {

uint64_t Mix64(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Decodes one UTF-8 code point at `i` and advances it; an invalid byte is returned as 0xFFFD +
// byte.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0x110000 + b;
  }
  uint32_t cp = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool Kept(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK symbols and punctuation
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width punctuation
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp == 0xA0 || (cp >= 0x80 && cp <= 0xBF)) return false;  // Latin-1 punctuation
  return true;
}

std::vector<uint32_t> KeptCodePoints(std::string_view text) {
  std::vector<uint32_t> out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = NextCodePoint(text, i);
    if (Kept(cp)) out.push_back(cp);
  }
  return out;
}

}  // namespace

int CountTextChars(std::string_view text) { return static_cast<int>(KeptCodePoints(text).size()); }

Signature MinHash(std::string_view text) {
  Signature sig;
  sig.fill(std::numeric_limits<uint32_t>::max());
  std::vector<uint32_t> cps = KeptCodePoints(text);
  if (cps.empty()) return sig;
  size_t shingles = cps.size() >= 3 ? cps.size() - 2 : 1;
  for (size_t s = 0; s < shingles; ++s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t k = s; k < s + 3 && k < cps.size(); ++k) h = Mix64(h ^ cps[k]);
    for (int j = 0; j < kSignatureSize; ++j) {
      uint32_t v = static_cast<uint32_t>(Mix64(h + 0x632be59bd9b4e019ULL * (j + 1)) >> 32);
      if (v < sig[j]) sig[j] = v;
    }
  }
  return sig;
}

double EstimateSimilarity(const Signature& a, const Signature& b) {
  int same = 0;
  for (int j = 0; j < kSignatureSize; ++j) same += a[j] == b[j];
  return static_cast<double>(same) / kSignatureSize;
}

uint64_t BandKey(const Signature& s, int band) {
  uint64_t h = Mix64(0x5851f42d4c957f2dULL + band);
  for (int r = 0; r < kRowsPerBand; ++r) h = Mix64(h ^ s[band * kRowsPerBand + r]);
  return h;
}

}  // namespace fanzha::link
