// The evidence package (casefile.h): exported from a real store, verified, tampered with.
#include "casefile/casefile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/audit.h"
#include "casefile/stages.h"
#include "core/json.h"
#include "import/import.h"
#include "ledger/ledger.h"
#include "tests/support/postgres_server.h"

namespace fanzha::casefile::package_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00
constexpr Millis kMinute = 60000;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Transfer Pay(const std::string& id, Millis at, const std::string& from, const std::string& to,
             Fen amount) {
  Transfer t;
  t.id = id;
  t.time = at;
  t.from = from;
  t.to = to;
  t.amount = amount;
  return t;
}

Case MakeCase(const std::string& id, const std::vector<std::string>& transfers,
              const std::string& phone, const std::string& narrative = "冒充客服诈骗") {
  Case c;
  c.id = id;
  c.reported_at = kT0 + 60 * kMinute;
  c.region = "330100";
  c.category = "impersonation_service";
  c.narrative = narrative;
  c.victim = {"受害人" + id, "", "V-" + id};
  c.transfers = transfers;
  c.identifiers = {{IdentifierType::kPhone, phone, phone, true}};
  return c;
}

class CaseFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("casefile-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ =
        std::move(store::Store::Open(test_support::StoreLocation((dir_ / "fanzha.db").string())))
            .value();
    auto imp = std::move(store_->BeginImport()).value();
    for (const char* a : {"V-HZ1", "M1", "M2", "M3"})
      ASSERT_TRUE(imp->PutAccount({a, a, "ICBC", "330100", AccountKind::kPersonal, 0, {}}).ok());
    // HZ1's victim pays M1 1,000.00; M1 sends 600.00 to M2 and 300.00 to M3.
    ASSERT_TRUE(imp->PutTransfer(Pay("T1", kT0, "V-HZ1", "M1", 100000)).ok());
    ASSERT_TRUE(imp->PutTransfer(Pay("T2", kT0 + kMinute, "M1", "M2", 60000)).ok());
    ASSERT_TRUE(imp->PutTransfer(Pay("T3", kT0 + 2 * kMinute, "M1", "M3", 30000)).ok());
    ASSERT_TRUE(imp->PutCase(MakeCase("HZ1", {"T1"}, "+8613800138000")).ok());
    // HZ2 shares the fraudster's phone; HZ3 has no payments listed yet.
    ASSERT_TRUE(imp->PutCase(MakeCase("HZ2", {}, "+8613800138000")).ok());
    ASSERT_TRUE(
        imp->PutCase(MakeCase("HZ3", {}, "+8613900139000", "<script>alert('x')</script>")).ok());
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
    ledger_ = std::move(ledger::Ledger::Load(*store_)).value();
    audit_key_ = audit::Key::FromBytes({7});
    audit::Entry e;
    e.action = "case.trace";
    e.target = "HZ1";
    e.user = "hz";
    ASSERT_TRUE(audit::AuditLog(store_->sql(), audit_key_).Append(e).ok());
    e.target = "HZ9";  // another case's entry stays out
    ASSERT_TRUE(audit::AuditLog(store_->sql(), audit_key_).Append(e).ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  ExportOptions Options(const std::string& case_id, const std::string& out) {
    ExportOptions o;
    o.case_id = case_id;
    o.out = (dir_ / out).string();
    o.tracer = [this](const Case& c, const trace::Options& opts) -> Result<trace::Answer> {
      FANZHA_ASSIGN_OR_RETURN(auto seeds, trace::SeedsOfCase(*ledger_, c));
      return trace::Trace(*ledger_, seeds, opts);
    };
    o.exported_by = "tester";
    o.audit_key = &audit_key_;
    return o;
  }
  Exported MustExport(const std::string& case_id, const std::string& out) {
    Result<Exported> done = Export(*store_, Options(case_id, out), key_, kT0 + 3600000);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return done.ok() ? *done : Exported{};
  }
  Verification MustVerify(const std::string& out, const std::string& trusted) {
    Result<Verification> v = Verify((dir_ / out).string(), trusted);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : Verification{};
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  audit::Key audit_key_ = audit::Key::FromBytes({1});
  SigningKey key_ = SigningKey::FromSeed({42});
};

TEST_F(CaseFileTest, AnExportedPackageVerifiesAgainstThePlatformsKey) {
  Exported done = MustExport("HZ1", "HZ1-package");
  EXPECT_EQ(done.trace_flows, 3);
  EXPECT_EQ(done.linked_cases, 2);  // HZ1 and HZ2 share a phone
  EXPECT_EQ(done.audit_entries, 1);
  std::set<std::string> paths;
  for (const PackedFile& f : done.files) paths.insert(f.path);
  for (const char* p : {"report.json", "trace/fifo.json", "trace/haircut.json", "trace/lifo.json",
                        "trace/poison.json", "statements/postings.csv", "statements/queries.json",
                        "statements/exchanges.jsonl", "orders.json", "links.json", "leads.json",
                        "stages.json", "audit.json", "summary.html"})
    EXPECT_TRUE(paths.count(p)) << p;
  Verification v = MustVerify("HZ1-package", key_.public_hex());
  EXPECT_TRUE(v.ok) << v.first_bad << ": " << v.problem;
  EXPECT_TRUE(v.key_trusted);
  EXPECT_EQ(v.case_id, "HZ1");
  EXPECT_EQ(v.files, done.files.size());
}

TEST_F(CaseFileTest, ThePackageHoldsWhatACourtChecks) {
  MustExport("HZ1", "p");
  const fs::path p = dir_ / "p";
  json report = json::parse(Slurp(p / "report.json"));
  Result<Case> back = import::ParseCaseJson(report["case"]);
  ASSERT_TRUE(back.ok()) << back.status().ToString();  // the report goes back in as it came
  EXPECT_EQ(back->transfers, std::vector<std::string>{"T1"});
  EXPECT_EQ(report["transfers"][0]["amount"], "1000.00");
  json fifo = json::parse(Slurp(p / "trace/fifo.json"));
  EXPECT_EQ(fifo["options"]["policy"], "fifo");
  EXPECT_EQ(fifo["options"]["max_hops"], 8);
  EXPECT_EQ(fifo["held"].size(), 3u);  // 100.00 left at M1, 600.00 at M2, 300.00 at M3
  json links = json::parse(Slurp(p / "links.json"));
  EXPECT_EQ(links["cases"], json::array({"HZ1", "HZ2"}));
  json audit = json::parse(Slurp(p / "audit.json"));
  ASSERT_EQ(audit["entries"].size(), 1u);
  EXPECT_EQ(audit["entries"][0]["target"], "HZ1");
  EXPECT_EQ(audit["head"]["id"], 2);  // the chain's head, past the case's own entries
  EXPECT_EQ(audit["chain"]["verified"], true);
  json manifest = json::parse(Slurp(p / "manifest.json"));
  EXPECT_EQ(manifest["signing_key"], key_.public_hex());
  for (const auto& f : manifest["files"])
    EXPECT_EQ(f["sha256"], Sha256Hex(Slurp(p / f["path"].get<std::string>()))) << f["path"];
  const std::string summary = Slurp(p / "summary.html");
  EXPECT_NE(summary.find("案件证据材料摘要"), std::string::npos);
  EXPECT_NE(summary.find("1,000.00 元"), std::string::npos);
  EXPECT_NE(summary.find("<svg"), std::string::npos);
}

TEST_F(CaseFileTest, OneChangedByteIsNamed) {
  MustExport("HZ1", "p");
  const fs::path file = dir_ / "p" / "trace" / "haircut.json";
  std::string bytes = Slurp(file);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(file, std::ios::binary) << bytes;
  Verification v = MustVerify("p", key_.public_hex());
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, "trace/haircut.json");
  EXPECT_NE(v.problem.find("SHA-256"), std::string::npos);
  EXPECT_NE(v.problem_zh.find("改动"), std::string::npos);
}

TEST_F(CaseFileTest, AMissingOrAddedFileIsNamed) {
  MustExport("HZ1", "p");
  fs::remove(dir_ / "p" / "orders.json");
  EXPECT_EQ(MustVerify("p", "").first_bad, "orders.json");
  MustExport("HZ1", "q");
  std::ofstream(dir_ / "q" / "statements" / "extra.csv") << "slipped in\n";
  Verification v = MustVerify("q", "");
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, "statements/extra.csv");
}

TEST_F(CaseFileTest, AnEditedManifestOrAnotherKeyFailsTheSignature) {
  MustExport("HZ1", "p");
  const fs::path manifest = dir_ / "p" / "manifest.json";
  std::string text = Slurp(manifest);
  text.replace(text.find("\"HZ1\""), 5, "\"HZ7\"");
  std::ofstream(manifest, std::ios::binary) << text;
  Verification v = MustVerify("p", "");
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, "manifest.json");
  // Re-signed by someone else: whole under its own key, refused under the platform's.
  MustExport("HZ1", "q");
  SigningKey other = SigningKey::FromSeed({9});
  ASSERT_TRUE(Export(*store_, Options("HZ1", "r"), other, kT0).ok());
  EXPECT_TRUE(MustVerify("r", "").ok);
  EXPECT_FALSE(MustVerify("r", key_.public_hex()).ok);
  EXPECT_TRUE(MustVerify("q", key_.public_hex()).ok);
}

TEST_F(CaseFileTest, ACaseWithNoTraceYetIsExportedAndSaysSo) {
  Exported done = MustExport("HZ3", "p");
  EXPECT_EQ(done.trace_flows, 0);
  EXPECT_EQ(done.linked_cases, 0);
  for (const PackedFile& f : done.files) EXPECT_NE(f.path.rfind("trace/", 0), 0u) << f.path;
  const std::string summary = Slurp(dir_ / "p" / "summary.html");
  EXPECT_NE(summary.find("尚未追踪资金"), std::string::npos);
  EXPECT_EQ(summary.find("<script>"), std::string::npos);  // the narrative is escaped
  EXPECT_NE(summary.find("&lt;script&gt;"), std::string::npos);
  EXPECT_TRUE(MustVerify("p", key_.public_hex()).ok);
}

TEST_F(CaseFileTest, AnExportNeverOverwritesNorLeavesHalfAFolder) {
  fs::create_directories(dir_ / "busy");
  std::ofstream(dir_ / "busy" / "keep.txt") << "mine\n";
  Result<Exported> busy = Export(*store_, Options("HZ1", "busy"), key_, kT0);
  EXPECT_EQ(busy.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Slurp(dir_ / "busy" / "keep.txt"), "mine\n");
  Result<Exported> unknown = Export(*store_, Options("NOPE", "x"), key_, kT0);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
  ExportOptions failing = Options("HZ1", "y");
  failing.tracer = [](const Case&, const trace::Options&) -> Result<trace::Answer> {
    return Status::Io("the ledger went away");
  };
  EXPECT_FALSE(Export(*store_, failing, key_, kT0).ok());
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "y"));
}

TEST_F(CaseFileTest, AGangOfFiftyCasesIsInTheLinks) {
  auto imp = std::move(store_->BeginImport()).value();
  for (int i = 0; i < 48; ++i)
    ASSERT_TRUE(imp->PutCase(MakeCase("GX" + std::to_string(i), {}, "+8613800138000")).ok());
  ASSERT_TRUE(imp->Commit().ok());
  imp.reset();
  Exported done = MustExport("HZ1", "p");
  EXPECT_EQ(done.linked_cases, 50);
  json links = json::parse(Slurp(dir_ / "p" / "links.json"));
  EXPECT_EQ(links["cases"].size(), 50u);
  EXPECT_NE(Slurp(dir_ / "p" / "summary.html").find("共 50 起案件"), std::string::npos);
}

TEST_F(CaseFileTest, AZipHoldsTheSameFilesUnderTheCasesFolder) {
  Result<Package> package = Pack(*store_, Options("HZ1", "unused"), key_, kT0);
  ASSERT_TRUE(package.ok()) << package.status().ToString();
  const fs::path zip = dir_ / "HZ1.zip";
  std::ofstream(zip, std::ios::binary) << ZipOf(*package, "HZ1-证据");
  // Unpacked by another program, the folder verifies.
  const std::string unzip =
      "python3 -c \"import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])\" " +
      zip.string() + " " + (dir_ / "unzipped").string();
  ASSERT_EQ(std::system(unzip.c_str()), 0);
  Verification v = MustVerify("unzipped/HZ1-证据", key_.public_hex());
  EXPECT_TRUE(v.ok) << v.first_bad << ": " << v.problem;
  EXPECT_EQ(v.files + 2, package->files.size());  // and the manifest and its signature
}

TEST_F(CaseFileTest, TheKeyIsKeptInAFileAndSignsTheSameWayAfterALoad) {
  const std::string path = (dir_ / "signing-key").string();
  EXPECT_EQ(SigningKey::Load(path, false).status().code(), ErrorCode::kNotFound);
  Result<SigningKey> made = SigningKey::Load(path, true);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  Result<SigningKey> again = SigningKey::Load(path, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(made->public_hex(), again->public_hex());
  EXPECT_EQ(made->Sign("x"), again->Sign("x"));
  EXPECT_EQ(made->public_hex().size(), 64u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace fanzha::casefile::package_test
