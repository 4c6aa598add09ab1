// summary.pdf by headless Chromium (pdf.h).
#include "casefile/pdf.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/text.h"
#include "interchange/local_server.h"

namespace fanzha::casefile {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A private folder for one rendering, removed with everything in it.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "fanzha-pdf-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Result<std::string> Render(const std::string& chromium, const std::string& html,
                           int64_t timeout_ms) {
  Scratch scratch;
  if (scratch.path().empty())
    return Status::Io("cannot make a folder for the PDF")
        .WithZh("无法创建生成 PDF 所用的临时文件夹");

  const fs::path page = scratch.path() / "summary.html", pdf = scratch.path() / "summary.pdf",
                 log = scratch.path() / "chromium.log";
  std::ofstream(page, std::ios::binary) << html;
  // A profile of its own, so that a Chromium someone has open is neither used nor disturbed.
  interchange::ChildProcess child(
      {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
       "--disable-extensions", "--no-pdf-header-footer",
       "--user-data-dir=" + (scratch.path() / "profile").string(), "--print-to-pdf=" + pdf.string(),
       "file://" + page.string()},
      log.string());
  FANZHA_RETURN_IF_ERROR(child.Start());
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!child.Exited()) {
    if (std::chrono::steady_clock::now() > until) {
      child.Kill();
      return Status(ErrorCode::kUnavailable, chromium + " did not print the summary in time")
          .WithZh(chromium + " 未能按时生成 PDF 摘要");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string bytes = Slurp(pdf);
  if (bytes.rfind("%PDF", 0) != 0) {
    std::string words = Slurp(log);
    return Status::Io(chromium + " printed no PDF: " +
                      Excerpt(words.substr(words.size() > 400 ? words.size() - 400 : 0), 400))
        .WithZh(chromium + " 未生成 PDF");
  }
  return bytes;
}

}  // namespace

Result<std::string> FindChromium(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("FANZHA_CHROMIUM"); env && *env) return std::string(env);
  const char* path = std::getenv("PATH");
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    for (std::string_view dir : Split(path ? path : "/usr/bin", ':')) {
      const fs::path candidate = fs::path(dir) / name;
      if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return Status::NotFound(
             "no Chromium to print the PDF with (tried chromium, chromium-browser, google-chrome "
             "on PATH; give --chromium or FANZHA_CHROMIUM, or --no-pdf)")
      .WithZh(
          "找不到用于生成 PDF 的 Chromium（已在 PATH 中查找 chromium、chromium-browser、"
          "google-chrome；可用 --chromium 或 FANZHA_CHROMIUM 指定，或用 --no-pdf 跳过）");
}

PdfRenderer ChromiumPdf(std::string chromium, int64_t timeout_ms) {
  return [chromium = std::move(chromium), timeout_ms](const std::string& html) {
    return Render(chromium, html, timeout_ms);
  };
}

}  // namespace fanzha::casefile
