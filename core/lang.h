// The language a user reads: every message fanzha writes for people exists in Chinese (zh-CN) and
// English, and goes out in the language the user chose: `--lang` or the environment for the
// command line, Accept-Language for the server. Ids, codes, files and field names are the same in
// both.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace fanzha {

// kBoth: Chinese first, then English (what the command line writes when nobody chose).
enum class Lang { kBoth, kZh, kEn };

// "zh-CN" | "zh" | "en" | "both" (any case; "zh_CN", "zh-Hans" and the like are Chinese, "en-US"
// and the like English). kInvalidInput naming the choices otherwise.
Result<Lang> ParseLang(std::string_view text);

// The language an HTTP Accept-Language header asks for (RFC 9110: the highest q first, then the
// order given): the first range that is Chinese or English; Chinese when it names neither or is
// absent, since fanzha's users read Chinese. Never kBoth. Pure; O(header length).
Lang LangOfAcceptLanguage(std::string_view header);

// The command line's language when --lang is not given: FANZHA_LANG, else the first of LC_ALL,
// LC_MESSAGES and LANG that is set and names zh or en; kBoth otherwise (C, POSIX, unset).
Lang LangOfEnvironment();

// `en` or `zh`, as `lang` asks; both on two lines (Chinese first) for kBoth, once when they are the
// same (an id, a code, a name that has no translation).
std::string Say(Lang lang, std::string_view en, std::string_view zh);
// The same for a word or a label within a line (a table cell): both on one line, "未指派
// unassigned".
std::string SayInline(Lang lang, std::string_view en, std::string_view zh);
// A status's message in `lang` (Status::zh() for Chinese).
std::string MessageIn(Lang lang, const Status& status);
// "zh-CN" or "en" for a Content-Language header ("zh-CN" for kBoth).
const char* LangTag(Lang lang);

}  // namespace fanzha
