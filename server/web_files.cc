// The dashboard's files (web/dist), read from disk for each GET: the folder is small and its
// files change when the dashboard is built again.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "server/impl.h"

namespace fanzha::server {
namespace {

namespace fs = std::filesystem;

// Larger files are not the dashboard's.
constexpr uintmax_t kMaxFileBytes = 64 << 20;

const char* ContentType(const fs::path& file) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".geojson", "application/geo+json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

http::Response NotFound(const std::string& path) {
  return http::ErrorResponse(
      Status::NotFound("no file " + path).WithZh("文件 " + path + " 不存在"));
}

// Whether every segment of the relative path is a plain name: not empty, not "." or "..", not
// hidden, no backslash.
bool PlainSegments(std::string_view rel) {
  while (true) {
    std::string_view seg = rel.substr(0, rel.find('/'));
    if (seg.empty() || seg[0] == '.' || seg.find('\\') != std::string_view::npos) return false;
    if (seg.size() == rel.size()) return true;
    rel.remove_prefix(seg.size() + 1);
  }
}

}  // namespace

http::Response WebFile(const std::string& root, const std::string& path) {
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  if (!PlainSegments(rel)) return NotFound(path);
  std::error_code ec;
  fs::path file = fs::canonical(fs::path(root) / rel, ec);
  if (ec || !file.string().starts_with(root + "/") || !fs::is_regular_file(file, ec) ||
      fs::file_size(file, ec) > kMaxFileBytes) {
    return NotFound(path);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound(path);
  http::Response r;
  r.content_type = ContentType(file);
  r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  r.headers.push_back({"Cache-Control", "no-cache"});
  return r;
}

}  // namespace fanzha::server
