// Phone normalisation rate on the forms reports contain. Checks its answer before it reports a
// time: every generated number is a valid Chinese mobile, so all must come out valid, in E.164 and
// with the same E.164 as the plain form.
//   normalise_bench [COUNT]   (default 1000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "normalise/normalise.h"

namespace {

// Mobile prefixes that libphonenumber 8.12 knows as valid in every number range.
constexpr const char* kPrefixes[] = {"130", "135", "138", "139", "150", "177", "186", "189"};

std::string Spell(const std::string& digits, unsigned form) {
  switch (form % 4) {
    case 0:
      return digits;
    case 1:
      return "+86 " + digits.substr(0, 3) + " " + digits.substr(3, 4) + " " + digits.substr(7);
    case 2:
      return digits.substr(0, 3) + "-" + digits.substr(3, 4) + "-" + digits.substr(7);
    default:
      return "0086" + digits;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::vector<std::string> raw;
  std::vector<std::string> expected;
  raw.reserve(count);
  uint64_t x = 88172645463325252ull;  // xorshift: the same numbers every run
  for (size_t i = 0; i < count; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    std::string digits = kPrefixes[x % 8] + std::to_string(10000000 + (x >> 8) % 90000000);
    raw.push_back(Spell(digits, static_cast<unsigned>(i)));
    expected.push_back("+86" + digits);
  }
  // Pass 1 meets every 7-digit block for the first time (libphonenumber's regexes run once per
  // block), pass 2 is the steady state of a long import; the reference path has no cache at all.
  const char* names[] = {"NormalisePhone, cold", "NormalisePhone, warm", "NormalisePhoneReference"};
  for (int pass = 0; pass < 3; ++pass) {
    const size_t n = pass == 2 ? count / 10 : count;
    size_t with_city = 0;
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < n; ++i) {
      fanzha::normalise::Phone p = pass == 2 ? fanzha::normalise::NormalisePhoneReference(raw[i])
                                             : fanzha::normalise::NormalisePhone(raw[i]);
      if (!p.valid || p.e164 != expected[i]) {
        std::fprintf(stderr, "wrong answer for %s: %s\n", raw[i].c_str(), p.e164.c_str());
        return 1;
      }
      with_city += !p.city.empty();
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "%-24s %8zu numbers in %6.3f s = %8.0f per second (%.2f us each), %zu with a city\n",
        names[pass], n, s, n / s, 1e6 * s / n, with_city);
  }
  return 0;
}
