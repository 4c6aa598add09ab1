// Inside the case file's package: its files in memory, the manifest, the summary for people.
// Not part of the module's contract (casefile.h is).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "casefile/casefile.h"
#include "casefile/stages.h"
#include "link/link.h"

namespace fanzha::casefile {

inline constexpr std::string_view kFormat = "fanzha-case-package/1";
inline constexpr std::string_view kManifest = "manifest.json", kSignature = "manifest.sig";

// The files of a package, held until they are all made, then signed and written together.
class Files {
 public:
  // `path` relative, '/'-separated, not a manifest name; added once.
  void Add(std::string path, std::string bytes);
  // Adds manifest.json (every other file with its size and SHA-256, in path order) and
  // manifest.sig; returns the manifest's list.
  std::vector<PackedFile> Sign(const std::string& case_id, const std::string& exported_by,
                               Millis now, const SigningKey& key);
  // Every file, the manifest and its signature last once signed.
  std::vector<std::pair<std::string, std::string>> Take() { return std::move(files_); }

 private:
  std::vector<std::pair<std::string, std::string>> files_;
};

// Writes every file under `dir` (made, with the folders the paths need). kIoError naming the file
// that could not be written.
Status WriteFiles(const std::string& dir,
                  const std::vector<std::pair<std::string, std::string>>& files);

// Whether `signature_hex` is the Ed25519 signature of `message` by `key_hex` (key.cc).
bool SignatureMatches(std::string_view message, std::string_view signature_hex,
                      std::string_view key_hex);

// What the summary for people shows (summary.cc).
struct SummaryInput {
  const Case& c;
  const trace::Answer* trace;  // the first policy's answer; nullptr when there is none
  const nlohmann::ordered_json& orders;
  const link::Explanation& links;
  const CaseProcess& process;
  const nlohmann::ordered_json& audit;
  Millis now;
};
// summary.html: one page in Chinese, with a print stylesheet; everything from the store escaped.
std::string SummaryHtml(const SummaryInput& in);

}  // namespace fanzha::casefile
