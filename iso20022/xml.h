// libxml2 under the rules every ISO 20022 reader of this folder follows; not part of the public
// interface. Documents are read as a stream (xmlTextReader) with a byte limit; the parts a reader
// needs are expanded into small trees one at a time and looked at with the helpers below.
//
// The rules: no DTD (the bytes before the first element are scanned and a DOCTYPE ends the read
// before libxml2 parses it, so no entity is ever declared or expanded and nothing external is
// loaded; a DOCTYPE node libxml2 reports anyway is refused too), no network, libxml2's default
// limits on depth (256) and text length (10 MB), big line numbers (past 65535) in every node. Line
// ends are folded to LF on the way in, so that files with CR line ends get their line numbers.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fanzha::iso20022::xml {

class Reader {
 public:
  // `name` prefixes every error ("NAME:LINE: ..."). The bytes must outlive the reader.
  static Result<std::unique_ptr<Reader>> OpenMemory(std::string_view bytes, std::string name,
                                                    int64_t max_bytes,
                                                    std::function<void(int64_t)> on_progress = {});
  // kIoError when the file cannot be opened, kTooLarge when it is larger than max_bytes.
  static Result<std::unique_ptr<Reader>> OpenFile(const std::string& path, int64_t max_bytes,
                                                  std::function<void(int64_t)> on_progress = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Moves to the next node in document order: true on a node, false at the end. Errors (with the
  // line): not well-formed, a DOCTYPE, over the byte limit.
  Result<bool> Read();
  // Moves past the current node's subtree to its next sibling (or the parent's end).
  Result<bool> Skip();
  // The current element with its whole subtree parsed; owned by the reader and valid until the
  // next Read()/Skip(). Errors as for Read().
  Result<const xmlNode*> Expand();

  bool AtElementStart() const;  // an element's start tag (not an end tag, not text)
  bool AtElementEnd() const;
  int depth() const;
  std::string_view local_name() const;
  std::string_view namespace_uri() const;
  int64_t line() const;  // of the current node, or where the parser is
  const std::string& name() const { return name_; }

  // kInvalidInput "NAME:LINE: what", and "NAME:LINE：zh" for a reader of Chinese.
  Status Error(int64_t line, const std::string& what, const std::string& zh) const;

 private:
  Reader() = default;
  static Result<std::unique_ptr<Reader>> Open(std::unique_ptr<Reader> r);
  Status Failure();  // the parser's first error, the size limit, or a DOCTYPE
  Status Doctype(int64_t line) const;
  Result<bool> Landed(int rc);
  friend int ReadCallback(void* context, char* buffer, int len);

  xmlTextReaderPtr reader_ = nullptr;
  std::string name_;
  // Input: a memory block, or a file.
  std::string_view bytes_;
  std::FILE* file_ = nullptr;
  int64_t offset_ = 0, max_bytes_ = 0, next_progress_ = 0;
  bool too_large_ = false;
  // Line ends: a lone CR (old Mac files) and CR LF become LF before libxml2 sees them, as XML
  // reads them anyway (XML 1.0 section 2.11), so that libxml2 counts the lines. Not for UTF-16.
  bool fold_line_ends_ = true;
  bool after_cr_ = false;
  // The prolog (before the first element) is scanned for "<!DOCTYPE": a DTD is refused before
  // libxml2 reads a byte of it. doctype_line_ > 0 once found.
  bool in_prolog_ = true;
  int64_t prolog_lines_ = 1, doctype_line_ = 0;
  bool io_failed_ = false;
  std::function<void(int64_t)> on_progress_;
  // The first error the parser reported.
  std::string parse_error_;
  int64_t parse_error_line_ = 0;
  friend void OnStructuredError(void* context, xmlErrorPtr error);
};

// ---- small trees ----

// The first element child of `parent` with this local name, or nullptr (also for a null parent).
const xmlNode* Child(const xmlNode* parent, std::string_view local_name);
// The element at a '/'-separated path of local names below `parent` ("Refs/EndToEndId"), or
// nullptr.
const xmlNode* Find(const xmlNode* parent, std::string_view path);
// Calls fn for each element child with this local name, in order.
void ForEachChild(const xmlNode* parent, std::string_view local_name,
                  const std::function<void(const xmlNode*)>& fn);
// The element's text with surrounding white space removed; "" for a null node.
std::string Text(const xmlNode* node);
// Text(Find(parent, path)).
std::string TextAt(const xmlNode* parent, std::string_view path);
// An attribute's value (no namespace), "" when absent.
std::string Attribute(const xmlNode* node, const char* name);
std::string_view LocalName(const xmlNode* node);
int64_t Line(const xmlNode* node);
// The path from `top` (exclusive) down to `node`: "NtryDtls/TxDtls[2]/Amt"; an index is written
// when the element has siblings of the same name. "" when node == top.
std::string PathBelow(const xmlNode* top, const xmlNode* node);
// The node serialised as XML, cut at max_bytes (for reject files).
std::string Dump(const xmlNode* node, size_t max_bytes);

}  // namespace fanzha::iso20022::xml
