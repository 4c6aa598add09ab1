#include "core/lang.h"

#include <cstdlib>
#include <optional>

#include "core/text.h"

namespace fanzha {
namespace {

// zh or en from a language tag or locale name ("zh-CN", "zh_CN.UTF-8", "en-US"); nullopt else.
std::optional<Lang> LangOfTag(std::string_view tag) {
  const std::string t = AsciiLower(Trim(tag));
  auto is = [&](std::string_view primary) {
    return t.rfind(primary, 0) == 0 && (t.size() == primary.size() || t[primary.size()] == '-' ||
                                        t[primary.size()] == '_' || t[primary.size()] == '.');
  };
  if (is("zh")) return Lang::kZh;
  if (is("en")) return Lang::kEn;
  return std::nullopt;
}

// The q value of one Accept-Language element ("en;q=0.8"): 1 when absent, 0 when unreadable.
double QualityOf(std::string_view params) {
  size_t q = params.find("q=");
  if (q == std::string_view::npos) return 1.0;
  std::string value(Trim(params.substr(q + 2)));
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  return end == value.c_str() ? 0.0 : v;
}

}  // namespace

Result<Lang> ParseLang(std::string_view text) {
  if (AsciiLower(Trim(text)) == "both") return Lang::kBoth;
  if (std::optional<Lang> l = LangOfTag(text)) return *l;
  return Status::Invalid("language '" + Excerpt(text) + "': zh-CN, en or both")
      .WithZh("语言 '" + Excerpt(text) + "'：应为 zh-CN、en 或 both");
}

Lang LangOfAcceptLanguage(std::string_view header) {
  std::optional<Lang> best;
  double best_q = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::optional<Lang> l = LangOfTag(item.substr(0, semi));
    double q = semi == std::string_view::npos ? 1.0 : QualityOf(item.substr(semi + 1));
    if (l && q > best_q) {
      best = l;
      best_q = q;
    }
  }
  return best.value_or(Lang::kZh);
}

Lang LangOfEnvironment() {
  if (const char* chosen = std::getenv("FANZHA_LANG"); chosen && *chosen) {
    Result<Lang> l = ParseLang(chosen);
    if (l.ok()) return *l;
  }
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(name);
    if (!v || !*v) continue;
    return LangOfTag(v).value_or(Lang::kBoth);  // the first one set decides, as for gettext
  }
  return Lang::kBoth;
}

std::string Say(Lang lang, std::string_view en, std::string_view zh) {
  switch (lang) {
    case Lang::kZh:
      return std::string(zh);
    case Lang::kEn:
      return std::string(en);
    case Lang::kBoth:
      break;
  }
  if (zh == en) return std::string(en);  // an id or a code, the same in both
  return std::string(zh) + "\n" + std::string(en);
}

std::string SayInline(Lang lang, std::string_view en, std::string_view zh) {
  if (lang == Lang::kBoth && zh != en) return std::string(zh) + " " + std::string(en);
  return Say(lang, en, zh);
}

std::string MessageIn(Lang lang, const Status& status) {
  return Say(lang, status.message(), status.zh());
}

const char* LangTag(Lang lang) { return lang == Lang::kEn ? "en" : "zh-CN"; }

}  // namespace fanzha
