#include "iso20022/xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "core/text.h"

namespace fanzha::iso20022::xml {

namespace {

// No entity substitution (XML_PARSE_NOENT), no DTD loading or attribute defaults from it, no
// XInclude, no network, libxml2's default size limits (no XML_PARSE_HUGE).
constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA |
                         XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string_view View(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

}  // namespace

int ReadCallback(void* context, char* buffer, int len) {
  Reader* r = static_cast<Reader*>(context);
  if (r->too_large_ || r->io_failed_) return -1;
  int n = 0;
  if (r->file_) {
    n = static_cast<int>(std::fread(buffer, 1, static_cast<size_t>(len), r->file_));
    if (n == 0 && std::ferror(r->file_)) {
      r->io_failed_ = true;
      return -1;
    }
  } else {
    size_t left = r->bytes_.size() - static_cast<size_t>(r->offset_);
    n = static_cast<int>(std::min<size_t>(left, static_cast<size_t>(len)));
    std::memcpy(buffer, r->bytes_.data() + r->offset_, static_cast<size_t>(n));
  }
  if (r->offset_ == 0 && n >= 2) {  // a UTF-16 or UTF-32 byte order mark, or NUL bytes: not ours
    unsigned char a = buffer[0], b = buffer[1];
    r->fold_line_ends_ =
        !((a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE) || a == 0 || b == 0);
  }
  r->offset_ += n;
  // Most files have no CR at all: fold only a block that has one (or follows one).
  if (r->fold_line_ends_ && (r->after_cr_ || std::memchr(buffer, '\r', static_cast<size_t>(n)))) {
    int out = 0;
    for (int i = 0; i < n; ++i) {
      char c = buffer[i];
      if (c == '\n' && r->after_cr_) {
        r->after_cr_ = false;
        continue;
      }
      r->after_cr_ = c == '\r';
      buffer[out++] = r->after_cr_ ? '\n' : c;
    }
    bool folded_all = n > 0 && out == 0;
    n = out;
    // Only a folded LF in this block: read on, since returning 0 would end the input.
    if (folded_all) return ReadCallback(context, buffer, len);
  }
  if (r->in_prolog_ && r->fold_line_ends_) {
    std::string_view block(buffer, static_cast<size_t>(n));
    for (size_t i = 0; i < block.size() && r->in_prolog_; ++i) {
      if (block[i] == '\n') ++r->prolog_lines_;
      if (block[i] != '<' || i + 1 >= block.size()) continue;
      if (block.substr(i + 1).starts_with("!DOCTYPE")) {
        r->doctype_line_ = r->prolog_lines_;
        return -1;
      }
      r->in_prolog_ = block[i + 1] == '?' || block[i + 1] == '!';
    }
  }
  if (r->offset_ > r->max_bytes_) {
    r->too_large_ = true;
    return -1;
  }
  if (r->on_progress_ && r->offset_ >= r->next_progress_) {
    r->on_progress_(r->offset_);
    r->next_progress_ = r->offset_ + (1 << 20);
  }
  return n;
}

void OnStructuredError(void* context, xmlErrorPtr error) {
  Reader* r = static_cast<Reader*>(context);
  if (!error || !r->parse_error_.empty() || error->level < XML_ERR_ERROR) return;
  std::string message = error->message ? error->message : "malformed XML";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  r->parse_error_ = message.empty() ? "malformed XML" : message;
  r->parse_error_line_ = error->line;
}

Result<std::unique_ptr<Reader>> Reader::OpenMemory(std::string_view bytes, std::string name,
                                                   int64_t max_bytes,
                                                   std::function<void(int64_t)> on_progress) {
  if (static_cast<int64_t>(bytes.size()) > max_bytes)
    return Status(ErrorCode::kTooLarge, name + ": " + std::to_string(bytes.size()) +
                                            " bytes, more than the limit of " +
                                            std::to_string(max_bytes))
        .WithZh(name + "：文件超过大小上限 " + std::to_string(max_bytes) + " 字节（实际 " +
                std::to_string(bytes.size()) + " 字节）");
  std::unique_ptr<Reader> r(new Reader());
  r->name_ = std::move(name);
  r->bytes_ = bytes;
  r->max_bytes_ = max_bytes;
  r->on_progress_ = std::move(on_progress);
  return Open(std::move(r));
}

Result<std::unique_ptr<Reader>> Reader::OpenFile(const std::string& path, int64_t max_bytes,
                                                 std::function<void(int64_t)> on_progress) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": cannot open: " + why).WithZh(path + "：无法打开（" + why + "）");
  }
  if (static_cast<int64_t>(st.st_size) > max_bytes)
    return Status(ErrorCode::kTooLarge, path + ": " + std::to_string(st.st_size) +
                                            " bytes, more than the limit of " +
                                            std::to_string(max_bytes))
        .WithZh(path + "：文件超过大小上限 " + std::to_string(max_bytes) + " 字节（实际 " +
                std::to_string(st.st_size) + " 字节）");
  std::unique_ptr<Reader> r(new Reader());
  r->name_ = path;
  r->file_ = std::fopen(path.c_str(), "rb");
  if (!r->file_) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": cannot open: " + why).WithZh(path + "：无法打开（" + why + "）");
  }
  r->max_bytes_ = max_bytes;
  r->on_progress_ = std::move(on_progress);
  return Open(std::move(r));
}

Result<std::unique_ptr<Reader>> Reader::Open(std::unique_ptr<Reader> r) {
  InitOnce();
  r->reader_ = xmlReaderForIO(ReadCallback, nullptr, r.get(), nullptr, nullptr, kOptions);
  if (!r->reader_) return Status::Internal(r->name_ + ": cannot start the XML parser");
  xmlTextReaderSetStructuredErrorHandler(r->reader_, OnStructuredError, r.get());
  return r;
}

Reader::~Reader() {
  if (reader_) xmlFreeTextReader(reader_);
  if (file_) std::fclose(file_);
}

Status Reader::Error(int64_t line, const std::string& what, const std::string& zh) const {
  const std::string where = name_ + ":" + std::to_string(line);
  return Status::Invalid(where + ": " + what).WithZh(where + "：" + zh);
}

Status Reader::Doctype(int64_t line) const {
  return Error(line,
               "a DOCTYPE (DTD) is not allowed in an ISO 20022 message; no DTD or entity is "
               "read",
               "ISO 20022 报文不允许 DOCTYPE（不读取 DTD 和实体）");
}

Status Reader::Failure() {
  if (doctype_line_ > 0) return Doctype(doctype_line_);
  if (too_large_)
    return Status(ErrorCode::kTooLarge,
                  name_ + ": more than the limit of " + std::to_string(max_bytes_) + " bytes")
        .WithZh(name_ + "：文件超过大小上限 " + std::to_string(max_bytes_) + " 字节");
  if (io_failed_) {
    const std::string why = std::strerror(errno);
    return Status::Io(name_ + ": cannot read: " + why).WithZh(name_ + "：无法读取（" + why + "）");
  }
  int64_t at = parse_error_line_ > 0 ? parse_error_line_ : line();
  const std::string detail = parse_error_.empty() ? "malformed" : parse_error_;
  return Error(at, "not well-formed XML: " + detail, "XML 格式错误：" + detail);
}

Result<bool> Reader::Read() {
  int r = xmlTextReaderRead(reader_);
  return Landed(r);
}

// After a move: the end, a failure, or a node (a DOCTYPE that slipped past the prolog scan, as one
// split across two input blocks would, is refused here).
Result<bool> Reader::Landed(int r) {
  if (r < 0) return Failure();
  if (r == 0) {
    if (!parse_error_.empty() || too_large_ || io_failed_ || doctype_line_ > 0) return Failure();
    return false;
  }
  int type = xmlTextReaderNodeType(reader_);
  if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
      type == XML_READER_TYPE_ENTITY)
    return Doctype(line());
  return true;
}

Result<bool> Reader::Skip() { return Landed(xmlTextReaderNext(reader_)); }

Result<const xmlNode*> Reader::Expand() {
  xmlNodePtr node = xmlTextReaderExpand(reader_);
  if (!node || !parse_error_.empty() || too_large_ || io_failed_ || doctype_line_ > 0)
    return Failure();
  return static_cast<const xmlNode*>(node);
}

bool Reader::AtElementStart() const {
  return xmlTextReaderNodeType(reader_) == XML_READER_TYPE_ELEMENT;
}
bool Reader::AtElementEnd() const {
  return xmlTextReaderNodeType(reader_) == XML_READER_TYPE_END_ELEMENT;
}
int Reader::depth() const { return xmlTextReaderDepth(reader_); }
std::string_view Reader::local_name() const { return View(xmlTextReaderConstLocalName(reader_)); }
std::string_view Reader::namespace_uri() const {
  return View(xmlTextReaderConstNamespaceUri(reader_));
}
int64_t Reader::line() const {
  xmlNodePtr node = xmlTextReaderCurrentNode(reader_);
  long l = node ? xmlGetLineNo(node) : -1;
  return l > 0 ? l : xmlTextReaderGetParserLineNumber(reader_);
}

// ---- small trees ----

std::string_view LocalName(const xmlNode* node) {
  return node ? View(node->name) : std::string_view();
}

const xmlNode* Child(const xmlNode* parent, std::string_view local_name) {
  if (!parent) return nullptr;
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && View(c->name) == local_name) return c;
  return nullptr;
}

const xmlNode* Find(const xmlNode* parent, std::string_view path) {
  const xmlNode* node = parent;
  while (node && !path.empty()) {
    size_t slash = path.find('/');
    node = Child(node, path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return node;
}

void ForEachChild(const xmlNode* parent, std::string_view local_name,
                  const std::function<void(const xmlNode*)>& fn) {
  if (!parent) return;
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && View(c->name) == local_name) fn(c);
}

std::string Text(const xmlNode* node) {
  if (!node) return {};
  std::string out;
  for (const xmlNode* c = node->children; c; c = c->next)
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) out.append(View(c->content));
  size_t b = out.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = out.find_last_not_of(" \t\r\n");
  return out.substr(b, e - b + 1);
}

std::string TextAt(const xmlNode* parent, std::string_view path) {
  return Text(Find(parent, path));
}

std::string Attribute(const xmlNode* node, const char* name) {
  if (!node) return {};
  for (const xmlAttr* a = node->properties; a; a = a->next) {
    if (View(a->name) != name || a->ns) continue;
    std::string out;
    for (const xmlNode* c = a->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE) out.append(View(c->content));
    return std::string(Trim(out));
  }
  return {};
}

int64_t Line(const xmlNode* node) {
  long l = node ? xmlGetLineNo(node) : -1;
  return l > 0 ? l : 0;
}

std::string PathBelow(const xmlNode* top, const xmlNode* node) {
  std::string out;
  for (const xmlNode* n = node; n && n != top && n->type == XML_ELEMENT_NODE; n = n->parent) {
    std::string_view name = View(n->name);
    int index = 1;
    bool others = false;
    for (const xmlNode* s = n->prev; s; s = s->prev)
      if (s->type == XML_ELEMENT_NODE && View(s->name) == name) ++index, others = true;
    for (const xmlNode* s = n->next; s && !others; s = s->next)
      if (s->type == XML_ELEMENT_NODE && View(s->name) == name) others = true;
    std::string part(name);
    if (others) part += "[" + std::to_string(index) + "]";
    out = out.empty() ? part : part + "/" + out;
  }
  return out;
}

std::string Dump(const xmlNode* node, size_t max_bytes) {
  if (!node) return {};
  xmlBufferPtr buf = xmlBufferCreate();
  if (!buf) return {};
  xmlNodeDump(buf, node->doc, const_cast<xmlNode*>(node), 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                  static_cast<size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out.size() > max_bytes ? Utf8Prefix(out, max_bytes) : out;
}

}  // namespace fanzha::iso20022::xml
