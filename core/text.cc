#include "core/text.h"

namespace fanzha {

std::string FoldAsciiWidth(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0xEF && i + 2 < in.size()) {
      unsigned char c1 = static_cast<unsigned char>(in[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(in[i + 2]);
      // U+FF01..U+FF3F is EF BC 81..EF BC BF; U+FF40..U+FF5E is EF BD 80..EF BD 9E.
      if (c1 == 0xBC && c2 >= 0x81 && c2 <= 0xBF) {
        out.push_back(static_cast<char>(c2 - 0x81 + 0x21));
        i += 2;
        continue;
      }
      if (c1 == 0xBD && c2 >= 0x80 && c2 <= 0x9E) {
        out.push_back(static_cast<char>(c2 - 0x80 + 0x60));
        i += 2;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
        static_cast<unsigned char>(in[i + 2]) == 0x80) {  // U+3000 ideographic space
      out.push_back(' ');
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;
    else if (c == 0xED)
      len = 3, hi = 0x9F;  // no surrogates
    else if (c >= 0xE1 && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else if (c == 0xF4)
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    else
      return i;
    if (i + len > s.size()) return i;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      unsigned char ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return i;
    }
    i += len;
  }
  return s.size();
}

bool IsValidUtf8(std::string_view s) { return FirstInvalidUtf8(s) == s.size(); }

std::string ValidUtf8(std::string_view s) {
  std::string out;
  size_t bad = FirstInvalidUtf8(s);
  while (bad < s.size()) {
    out.append(s.substr(0, bad)).append("\uFFFD");
    s.remove_prefix(bad + 1);
    bad = FirstInvalidUtf8(s);
  }
  return out.append(s);
}

std::string Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\u2026";
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  // Only the start matters: look at a little more than will be shown.
  std::string s = ValidUtf8(text.substr(0, max_bytes + 4));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  if (text.size() > max_bytes + 4 && s.size() <= max_bytes) s += "\u2026";
  return s.size() > max_bytes ? Utf8Prefix(s, max_bytes) : s;
}

std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t min, int64_t max) {
  bool negative = !text.empty() && text[0] == '-' && min < 0;
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits hold every int64
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  // In uint64 arithmetic: 19 digits never overflow it; the bounds are checked before narrowing.
  const uint64_t limit = negative ? uint64_t{1} << 63 : static_cast<uint64_t>(INT64_MAX);
  if (value > limit) return std::nullopt;
  int64_t v = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  if (v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace fanzha
