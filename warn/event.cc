#include "warn/event.h"

#include <simdjson.h>

#include <cstring>

#include "core/names.h"

namespace fanzha::warn {
namespace {

namespace od = simdjson::ondemand;

Status FieldError(std::string_view field, std::string_view why, std::string_view why_zh) {
  return Status::Invalid(std::string(field) + ": " + std::string(why))
      .WithZh(std::string(field) + "：" + std::string(why_zh));
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

Status GetString(od::value v, std::string_view field, EventBatch* b, std::string_view* out) {
  std::string_view raw = TrimRight(v.raw_json_token());
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') {
    return FieldError(field, "expected a string", "应为字符串");
  }
  std::string_view inner = raw.substr(1, raw.size() - 2);
  if (inner.find('\\') == std::string_view::npos) {
    *out = inner;
    return Status::Ok();
  }
  std::string_view s;
  if (v.get_string().get(s)) return FieldError(field, "bad escape in string", "字符串中的转义无效");
  *out = b->unescaped.emplace_back(s);
  return Status::Ok();
}

// A number or a string holding one: the raw digits.
Status GetNumberText(od::value v, std::string_view field, EventBatch* b, std::string_view* out) {
  od::json_type type;
  if (v.type().get(type)) return FieldError(field, "unreadable value", "无法读取的值");
  if (type == od::json_type::string) return GetString(v, field, b, out);
  if (type != od::json_type::number) return FieldError(field, "expected a number", "应为数字");
  *out = TrimRight(v.raw_json_token());
  return Status::Ok();
}

// In enum order (core/names.h).
constexpr std::string_view kEventKindNames[] = {"call", "sms", "payment", "visit", "app_install"};

Result<EventKind> ParseKind(std::string_view s) {
  Result<EventKind> kind = ParseName<EventKind>(s, kEventKindNames, "kind", "事件类型");
  if (!kind.ok()) return FieldError("kind", kind.status().message(), kind.status().zh());
  return kind;
}

Status ParseField(std::string_view key, od::value v, EventBatch* b, Event* e) {
  std::string_view s;
  if (key == "id") return GetString(v, key, b, &e->id);
  if (key == "from") return GetString(v, key, b, &e->from);
  if (key == "to") return GetString(v, key, b, &e->to);
  if (key == "text") return GetString(v, key, b, &e->text);
  if (key == "phone") return GetString(v, key, b, &e->phone);
  if (key == "device") return GetString(v, key, b, &e->device);
  if (key == "time") {
    FANZHA_RETURN_IF_ERROR(GetString(v, key, b, &s));
    Result<Millis> t = ParseTime(s);
    if (!t.ok()) return t.status().WithContext("time");
    e->time = *t;
    return Status::Ok();
  }
  if (key == "kind") {
    FANZHA_RETURN_IF_ERROR(GetString(v, key, b, &s));
    FANZHA_ASSIGN_OR_RETURN(e->kind, ParseKind(s));
    return Status::Ok();
  }
  if (key == "amount") {
    FANZHA_RETURN_IF_ERROR(GetNumberText(v, key, b, &s));
    Result<Fen> fen = ParseMoney(s);
    if (!fen.ok()) return fen.status().WithContext("amount");
    e->amount = *fen;
    return Status::Ok();
  }
  if (key == "duration_s") {
    FANZHA_RETURN_IF_ERROR(GetNumberText(v, key, b, &s));
    int64_t d = 0;
    for (char c : s) {
      if (c == '.') break;  // fractions of a second do not matter
      if (c < '0' || c > '9' || d > (int64_t{1} << 40)) {
        return FieldError(key, "expected a whole number of seconds", "应为整数秒");
      }
      d = d * 10 + (c - '0');
    }
    e->duration_s = d;
    return Status::Ok();
  }
  return Status::Ok();  // unknown fields are allowed (the format may grow)
}

Status Require(const Event& e, bool has_time, bool has_kind) {
  if (e.id.empty()) return FieldError("id", "missing", "缺失");
  if (!has_time) return FieldError("time", "missing", "缺失");
  if (!has_kind) return FieldError("kind", "missing", "缺失");
  if (e.from.empty()) return FieldError("from", "missing", "缺失");
  if (e.to.empty()) return FieldError("to", "missing", "缺失");
  if (e.kind == EventKind::kPayment && e.amount <= 0) {
    return FieldError("amount", "missing or not positive", "缺失或不是正数");
  }
  return Status::Ok();
}

}  // namespace

std::string_view Name(EventKind kind) { return kEventKindNames[static_cast<int>(kind)]; }

void EventBatch::Assign(std::string_view lines) {
  text.reserve(lines.size() + simdjson::SIMDJSON_PADDING);
  text.assign(lines);
}

void EventBatch::Pad() {
  if (text.capacity() < text.size() + simdjson::SIMDJSON_PADDING) {
    text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  }
}

struct EventParser::Impl {
  od::parser parser;

  Status ParseLine(const char* p, size_t len, size_t cap, EventBatch* b, Event* e) {
    od::document doc;
    if (parser.iterate(simdjson::padded_string_view(p, len, cap)).get(doc)) {
      return Status::Invalid("not a JSON object").WithZh("不是 JSON 对象");
    }
    od::object obj;
    if (doc.get_object().get(obj))
      return Status::Invalid("not a JSON object").WithZh("不是 JSON 对象");
    bool has_time = false, has_kind = false;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key))
        return Status::Invalid("bad field name").WithZh("字段名无效");
      has_time |= key == "time";
      has_kind |= key == "kind";
      FANZHA_RETURN_IF_ERROR(ParseField(key, field.value(), b, e));
    }
    return Require(*e, has_time, has_kind);
  }
};

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

Status EventParser::Parse(EventBatch* b, bool skip_bad) {
  b->Pad();
  const char* base = b->text.data();
  const size_t size = b->text.size(), cap = b->text.capacity();
  int64_t line = b->first_line;
  for (size_t pos = 0; pos < size; ++line) {
    const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', size - pos));
    size_t end = nl ? static_cast<size_t>(nl - base) : size;
    size_t len = end - pos;
    while (len > 0 && (base[pos + len - 1] == '\r' || base[pos + len - 1] == ' ')) --len;
    if (len > 0) {
      Event e;
      e.line = line;
      Status st = impl_->ParseLine(base + pos, len, cap - pos, b, &e);
      if (st.ok()) {
        b->events.push_back(e);
      } else {
        std::string where = "line " + std::to_string(line);
        if (!skip_bad) return st.WithContext(where);
        b->rejects.push_back(where + ": " + st.message());
      }
    }
    pos = end + 1;
  }
  return Status::Ok();
}

}  // namespace fanzha::warn
