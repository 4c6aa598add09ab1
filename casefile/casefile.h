// The case file's evidence package: everything a procuratorate and a court need to check a case,
// in one folder, signed by the platform.
//
// Export() writes a folder that holds (docs/CASEFILE.md):
//   report.json          the case as reported, in the form `fanzha case add` takes back
//   trace/POLICY.json    the trace answer under each policy (TRACING.md), with its options
//   statements/          the statement queries made for the case and, for every account the money
//                        reached, the postings the banks sent (postings.csv); the requests sent to
//                        banks and their answers byte for byte as received (exchanges.jsonl)
//   orders.json          the case's freeze orders, each with its whole history and renewals
//   links.json           the link evidence that joins the case to its gang (LINKING.md)
//   leads.json           the leads that carry the case, with their feedback
//   stages.json          the case's path through the justice process (stages.h), and its suspects
//   audit.json           the audit entries about the case, order or lead, with the chain's head
//                        and its verification at the time of export
//   summary.html         the same for people, in Chinese, with a print stylesheet
//   summary.pdf          summary.html printed, Chinese fonts embedded (when a renderer is given)
//   manifest.json        {"format", "case", "exported_at", "exported_by", "signing_key",
//                        "files": [{"path", "bytes", "sha256"}]}, every file but itself and
//                        manifest.sig, in path order
//   manifest.sig         the Ed25519 signature of manifest.json's bytes (hex), by the platform's
//   key
//
// Verify() checks a folder against its manifest: the signature, then every file's size and SHA-256
// in manifest order, then that no file was added; it names the first thing that does not match.
// A package proves where it came from only against a key known to be the platform's (`trusted`):
// the key inside the package proves only that nothing changed since someone signed it.
//
// Threads: thread-compatible, like the Store it reads.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "core/model.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::casefile {

// The platform's signing key: an Ed25519 key pair made from a 32-byte seed kept in a file outside
// the store, as the audit chain's key is (same file rules: 64 hex digits, mode 0600).
class SigningKey {
 public:
  static constexpr size_t kSeedBytes = 32;
  // Reads the seed file at `path`; with `create`, makes it when it does not exist. Errors as
  // audit::Key::Load: kNotFound without `create`, kIoError, kInvalidInput for a readable-by-others
  // or malformed file.
  static Result<SigningKey> Load(const std::string& path, bool create);
  static SigningKey FromSeed(const std::array<unsigned char, kSeedBytes>& seed);
  // The public key, 64 lower-case hex digits: what a court is given to check packages with.
  const std::string& public_hex() const { return public_hex_; }
  // The detached Ed25519 signature of `message`, 128 lower-case hex digits.
  std::string Sign(std::string_view message) const;

 private:
  std::array<unsigned char, 64> secret_{};
  std::string public_hex_;
};

// "<db>.signing-key": the default place of the key of the store at `db` (keep it elsewhere).
std::string DefaultKeyFile(const std::string& db);

// Traces a case under the options given. The CLI traces on the ledger it loads, the server on its
// live one (trace::LedgerForCase).
using Tracer = std::function<Result<trace::Answer>(const Case&, const trace::Options&)>;

// Prints summary.html (given whole) as a PDF and returns its bytes (pdf.h: ChromiumPdf).
using PdfRenderer = std::function<Result<std::string>(const std::string& html)>;

struct ExportOptions {
  std::string case_id;
  std::string out;  // the folder to make: it must not exist (or be empty)
  // The trace answers to include: one per policy, each with `trace` but its policy.
  std::vector<trace::Policy> policies = {trace::Policy::kFifo, trace::Policy::kLifo,
                                         trace::Policy::kHaircut, trace::Policy::kPoison};
  trace::Options trace;
  // Empty: no trace answers (the package says so). Not called for a case that lists no payments.
  Tracer tracer;
  // Empty: no summary.pdf. Its errors fail the export (nothing is written).
  PdfRenderer render_pdf;
  std::string exported_by;  // who asked (a user name; "(command line)" for the CLI)
  // The audit log's key, to verify the chain at export time (nullptr: not verified, and the
  // package says so).
  const audit::Key* audit_key = nullptr;
};

struct PackedFile {
  std::string path;  // relative, '/'-separated
  int64_t bytes = 0;
  std::string sha256;  // lower-case hex
};

struct Exported {
  std::string dir;
  std::vector<PackedFile> files;  // manifest order
  std::string signing_key;        // public key, hex
  int64_t trace_flows = 0;        // flows of the largest trace answer
  int64_t linked_cases = 0;       // cases of the case's gang, itself included (0: none)
  int64_t audit_entries = 0;
};

// The package in memory: its files (manifest.json and manifest.sig last), what Export() says of it.
struct Package {
  std::vector<std::pair<std::string, std::string>> files;  // path -> bytes
  Exported facts;                                          // facts.dir empty
};
// Makes the package of `options.case_id` (`options.out` unused). Errors as Export()'s but
// kConflict.
Result<Package> Pack(store::Store& store, const ExportOptions& options, const SigningKey& key,
                     Millis now);
// The package as one .zip file (stored, not compressed: the files keep their bytes and digests),
// every file under the folder `folder`/, names in UTF-8. For a download; `fanzha case verify`
// checks the folder it unpacks to.
std::string ZipOf(const Package& package, const std::string& folder);

// Writes the package of `options.case_id` (see above) into `options.out`, made as a sibling
// folder first and renamed into place, so that a failed export leaves nothing behind. Errors:
// kNotFound for an unknown case; kConflict when `out` exists and is not empty; kIoError naming the
// file that could not be written; the tracer's errors.
Result<Exported> Export(store::Store& store, const ExportOptions& options, const SigningKey& key,
                        Millis now);

struct Verification {
  bool ok = false;
  std::string case_id;
  std::string signing_key;   // the key the manifest was checked with
  bool key_trusted = false;  // it was the `trusted` key given, not only the package's own
  size_t files = 0;          // files checked
  std::string first_bad;     // the first file that does not match ("" when ok)
  std::string problem;       // what is wrong, in English
  std::string problem_zh;    // and in Chinese
};

// Checks the package in `dir` (see above). `trusted`: the platform's public key (hex); empty: the
// package's own. A package that does not match is a Verification with ok false, not an error;
// errors are kNotFound when `dir` holds no manifest.json and kInvalidInput when it is not one.
Result<Verification> Verify(const std::string& dir, const std::string& trusted);

// SHA-256 of `bytes`, lower-case hex.
std::string Sha256Hex(std::string_view bytes);

}  // namespace fanzha::casefile
