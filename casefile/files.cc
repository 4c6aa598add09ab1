// The package's files, its manifest and its verification (casefile.h).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "casefile/package.h"
#include "core/json.h"
#include "core/text.h"

namespace fanzha::casefile {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

// A manifest may name 100,000 files at most, and no file read back is larger than 4 GiB.
constexpr size_t kMaxFiles = 100000, kMaxManifestBytes = 64 << 20;

Result<std::string> ReadWhole(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": missing").WithZh(path.string() + "：缺失");
  std::string bytes;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf).gcount() > 0) {
    bytes.append(buf, static_cast<size_t>(in.gcount()));
    if (bytes.size() > limit) {
      return Status(ErrorCode::kTooLarge, path.string() + ": larger than it may be")
          .WithZh(path.string() + "：超出大小上限");
    }
  }
  return bytes;
}

Verification Bad(Verification v, std::string file, std::string en, std::string zh) {
  v.ok = false;
  v.first_bad = std::move(file);
  v.problem = std::move(en);
  v.problem_zh = std::move(zh);
  return v;
}

// A manifest's path that stays inside the package: relative, no "..", no empty part.
bool InsidePackage(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.size() > 4096) return false;
  for (std::string_view part : Split(path, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
  }
  return IsValidUtf8(path);
}

// Every regular file under `dir`, relative, '/'-separated.
std::set<std::string> FilesUnder(const fs::path& dir) {
  std::set<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_directory(ec)) found.insert(fs::relative(it->path(), dir, ec).generic_string());
  }
  return found;
}

struct Listed {
  std::string path, sha256;
  int64_t bytes = 0;
};

Result<std::vector<Listed>> ListedFiles(const ojson& manifest, const std::string& where) {
  auto bad = [&](const std::string& what, const std::string& what_zh) {
    return Status::Invalid(where + ": " + what).WithZh(where + "：清单格式错误（" + what_zh + "）");
  };
  if (!manifest.is_object() || manifest.value("format", "") != kFormat)
    return bad("not a fanzha case package (format " + std::string(kFormat) + ")",
               "不是 fanzha 案件证据包（格式 " + std::string(kFormat) + "）");
  auto files = manifest.find("files");
  if (files == manifest.end() || !files->is_array() || files->size() > kMaxFiles)
    return bad("no list of files", "缺少文件列表");
  std::vector<Listed> out;
  for (const auto& f : *files) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") ||
        !f["sha256"].is_string() || !f.contains("bytes") || !f["bytes"].is_number_integer())
      return bad("file " + std::to_string(out.size() + 1) + " lacks path, bytes or sha256",
                 "第 " + std::to_string(out.size() + 1) + " 个文件缺少 path、bytes 或 sha256");
    Listed l{f["path"].get<std::string>(), f["sha256"].get<std::string>(),
             f["bytes"].get<int64_t>()};
    if (!InsidePackage(l.path) || l.path == kManifest || l.path == kSignature)
      return bad("file path '" + Excerpt(l.path) + "' is not inside the package",
                 "文件路径 '" + Excerpt(l.path) + "' 不在证据包内");
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

void Files::Add(std::string path, std::string bytes) {
  files_.emplace_back(std::move(path), std::move(bytes));
}

std::vector<PackedFile> Files::Sign(const std::string& case_id, const std::string& exported_by,
                                    Millis now, const SigningKey& key) {
  std::sort(files_.begin(), files_.end());
  std::vector<PackedFile> packed;
  ojson list = ojson::array();
  for (const auto& [path, bytes] : files_) {
    PackedFile f{path, static_cast<int64_t>(bytes.size()), Sha256Hex(bytes)};
    list.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    packed.push_back(std::move(f));
  }
  ojson manifest = {{"format", kFormat},
                    {"case", case_id},
                    {"exported_at", FormatTime(now)},
                    {"exported_by", exported_by},
                    {"signing_key", key.public_hex()},
                    {"files", list}};
  std::string text = DumpJson(manifest, 2) + "\n";
  std::string signature = key.Sign(text) + "\n";
  files_.emplace_back(std::string(kManifest), std::move(text));
  files_.emplace_back(std::string(kSignature), std::move(signature));
  return packed;
}

Status WriteFiles(const std::string& dir,
                  const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [path, bytes] : files) {
    const fs::path file = fs::path(dir) / path;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      return Status::Io(file.string() + ": cannot be written").WithZh(file.string() + "：无法写入");
    }
  }
  return Status::Ok();
}

Result<Verification> Verify(const std::string& dir, const std::string& trusted) {
  const fs::path root(dir);
  FANZHA_ASSIGN_OR_RETURN(std::string text, ReadWhole(root / kManifest, kMaxManifestBytes));
  const std::string where = (root / kManifest).string();
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json parsed,
                          ParseJsonObject(text, where, where, {.max_bytes = kMaxManifestBytes}));
  const ojson manifest = parsed;
  FANZHA_ASSIGN_OR_RETURN(std::vector<Listed> listed, ListedFiles(manifest, where));
  Verification v;
  v.case_id = manifest.value("case", "");
  v.signing_key = trusted.empty() ? manifest.value("signing_key", "") : trusted;
  v.key_trusted = !trusted.empty();
  Result<std::string> signature = ReadWhole(root / kSignature, 1024);
  if (!signature.ok()) {
    return Bad(v, std::string(kSignature), "missing: the package is not signed",
               "缺失：材料包未签名");
  }
  if (!SignatureMatches(text, Trim(*signature), v.signing_key)) {
    return Bad(v, std::string(kManifest),
               "its signature does not match " +
                   std::string(v.key_trusted ? "the platform's key given" : "the key it names") +
                   ": the manifest was changed or signed by another key",
               std::string("签名与") + (v.key_trusted ? "所给平台公钥" : "清单所列公钥") +
                   "不符：清单已被改动，或由其他密钥签名");
  }
  for (const Listed& f : listed) {
    ++v.files;
    Result<std::string> bytes = ReadWhole(root / f.path, size_t{4} << 30);
    if (!bytes.ok()) return Bad(v, f.path, "missing or unreadable", "缺失或无法读取");
    if (static_cast<int64_t>(bytes->size()) != f.bytes || Sha256Hex(*bytes) != f.sha256) {
      return Bad(v, f.path, "changed since export: its SHA-256 is not the manifest's",
                 "导出后已被改动：SHA-256 与清单不符");
    }
  }
  std::set<std::string> expected = {std::string(kManifest), std::string(kSignature)};
  for (const Listed& f : listed) expected.insert(f.path);
  for (const std::string& found : FilesUnder(root)) {
    if (!expected.count(found))
      return Bad(v, found, "added after export: not in the manifest",
                 "导出后新增：清单中没有此文件");
  }
  v.ok = true;
  return v;
}

}  // namespace fanzha::casefile
