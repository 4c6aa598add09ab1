// ISO 20022 statement import benchmark: generates a camt.053.001.08 with N transactions (S account
// statements; entries of 1..K transactions, so batches are split) and the same postings as CSV
// bank statements (one file per account), then imports each into a new store with
// import::ImportFiles (what `fanzha import` runs), and reads the camt file once more without a
// store (the parser alone). Checks rows, transfers added and the money booked in and out against
// what was generated before it reports CPU time per transaction.
//
// Usage: camt_bench [--transactions N=1000000] [--accounts S=100] [--batch K=1] [--dir DIR]
//                   [--only camt|csv|parse] [--keep] [--validate XSD]
// --validate checks the generated file against an XSD first (the smoke run does, on a small file).
// Peak memory per import: run with --only under /usr/bin/time -v.
#include <libxml/xmlschemas.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/time.h"
#include "import/import.h"
#include "iso20022/statement.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using fanzha::Fen;

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Generated {
  int64_t transactions = 0, entries = 0;
  Fen in = 0, out = 0;
  std::vector<std::string> csv_files;
};

std::string Account(int64_t a) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "62220%014lld", static_cast<long long>(a));
  return buf;
}
std::string Counterparty(uint64_t x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "62170%014llu", static_cast<unsigned long long>(x % 500000));
  return buf;
}

// Writes DIR/statement.xml and DIR/流水_<account>.csv files with the same postings.
Generated Generate(const std::string& dir, int64_t n, int64_t accounts, int batch) {
  Generated g;
  std::FILE* xml = std::fopen((dir + "/statement.xml").c_str(), "wb");
  std::fputs(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:"
      "tech:xsd:camt.053.001.08\">\n<BkToCstmrStmt>\n<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>"
      "2020-02-09T02:00:00+08:00</CreDtTm></GrpHdr>\n",
      xml);
  uint64_t x = 88172645463325252ull;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  const fanzha::Millis day = *fanzha::ParseTime("2020-02-08T00:00:00+08:00");
  int64_t left = n;
  for (int64_t a = 0; a < accounts && left > 0; ++a) {
    int64_t here = a + 1 == accounts ? left : std::min(left, n / accounts);
    left -= here;
    std::string account = Account(a);
    std::string csv_path = dir + "/流水_" + account + ".csv";
    g.csv_files.push_back(csv_path);
    std::FILE* csv = std::fopen(csv_path.c_str(), "wb");
    std::fputs("交易流水号,交易时间,借贷标志,交易金额,对方账号,对方户名,摘要\n", csv);
    std::string entries;
    Fen net = 0;
    for (int64_t done = 0; done < here;) {
      int k = static_cast<int>(std::min<int64_t>(here - done, batch <= 1 ? 1 : 1 + next() % batch));
      bool credit = next() % 2 == 0;
      std::vector<Fen> amounts(k);
      Fen total = 0;
      for (Fen& v : amounts) total += v = 100 + static_cast<Fen>(next() % 5000000);
      int64_t e = g.entries++;
      fanzha::Millis at = day + static_cast<fanzha::Millis>((e * 997) % 86400) * 1000;
      std::string time = fanzha::FormatTime(at);
      std::string ref = "R" + std::to_string(e);
      entries += "<Ntry><Amt Ccy=\"CNY\">" + fanzha::FormatMoney(total) + "</Amt><CdtDbtInd>" +
                 (credit ? "CRDT" : "DBIT") +
                 "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>" + time +
                 "</DtTm></BookgDt><AcctSvcrRef>" + ref +
                 "</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT"
                 "</Cd><Fmly><Cd>" +
                 (credit ? "RCDT" : "ICDT") +
                 "</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly>"
                 "</Domn></BkTxCd>\n<NtryDtls>";
      if (k > 1) entries += "<Btch><NbOfTxs>" + std::to_string(k) + "</NbOfTxs></Btch>";
      for (int i = 0; i < k; ++i) {
        std::string id = ref + "-" + std::to_string(i + 1);
        std::string other = Counterparty(next());
        std::string name = "户名" + std::to_string(next() % 100000);
        std::string memo = "转账 " + std::to_string(e) + "/" + std::to_string(i + 1);
        entries += "<TxDtls><Refs><AcctSvcrRef>" + id + "</AcctSvcrRef><EndToEndId>E" + id +
                   "</EndToEndId></Refs><Amt Ccy=\"CNY\">" + fanzha::FormatMoney(amounts[i]) +
                   "</Amt><CdtDbtInd>" + (credit ? "CRDT" : "DBIT") + "</CdtDbtInd><RltdPties>";
        entries += credit
                       ? "<Dbtr><Pty><Nm>" + name + "</Nm></Pty></Dbtr><DbtrAcct><Id><Othr><Id>" +
                             other + "</Id></Othr></Id></DbtrAcct>"
                       : "<Cdtr><Pty><Nm>" + name + "</Nm></Pty></Cdtr><CdtrAcct><Id><Othr><Id>" +
                             other + "</Id></Othr></Id></CdtrAcct>";
        entries += "</RltdPties><RmtInf><Ustrd>" + memo + "</Ustrd></RmtInf></TxDtls>\n";
        std::fprintf(csv, "%s,%s,%s,%s,%s,%s,%s\n", id.c_str(), fanzha::FormatTime(at).c_str(),
                     credit ? "贷" : "借", fanzha::FormatMoney(amounts[i]).c_str(), other.c_str(),
                     name.c_str(), memo.c_str());
        (credit ? g.in : g.out) += amounts[i];
      }
      entries += "</NtryDtls></Ntry>\n";
      net += credit ? total : -total;
      done += k;
      g.transactions += k;
    }
    std::fclose(csv);
    auto balance = [&](const char* code, Fen v) {
      return std::string("<Bal><Tp><CdOrPrtry><Cd>") + code +
             "</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">" + fanzha::FormatMoney(v < 0 ? -v : v) +
             "</Amt><CdtDbtInd>" + (v < 0 ? "DBIT" : "CRDT") +
             "</CdtDbtInd><Dt><Dt>2020-02-08</Dt></Dt></Bal>\n";
    };
    std::fprintf(xml,
                 "<Stmt><Id>S%lld</Id><CreDtTm>2020-02-09T02:00:00+08:00</CreDtTm><Acct><Id>"
                 "<Othr><Id>%s</Id></Othr></Id><Ccy>CNY</Ccy></Acct>\n",
                 static_cast<long long>(a), account.c_str());
    std::fputs((balance("OPBD", 0) + balance("CLBD", net)).c_str(), xml);
    std::fwrite(entries.data(), 1, entries.size(), xml);
    std::fputs("</Stmt>\n", xml);
  }
  std::fputs("</BkToCstmrStmt>\n</Document>\n", xml);
  std::fclose(xml);
  return g;
}

bool Validate(const std::string& file, const std::string& xsd) {
  xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt(xsd.c_str());
  xmlSchemaPtr schema = xmlSchemaParse(p);
  xmlSchemaFreeParserCtxt(p);
  if (!schema) return false;
  xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
  int rc = xmlSchemaValidateFile(v, file.c_str(), 0);
  xmlSchemaFreeValidCtxt(v);
  xmlSchemaFree(schema);
  return rc == 0;
}

// Imports `files` into a new store and checks what was stored against what was generated.
int ImportAndCheck(const char* label, const std::string& db, const std::vector<std::string>& files,
                   const Generated& g, double file_mb) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db + suffix);
  auto store = fanzha::store::Store::OpenSqlite(db);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
  fanzha::import::Options o;
  o.progress = false;
  double cpu = CpuSeconds();
  auto t0 = Clock::now();
  auto out = fanzha::import::ImportFiles(**store, files, o);
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  cpu = CpuSeconds() - cpu;
  if (!out.status.ok())
    return std::fprintf(stderr, "%s: %s\n", label, out.status.message().c_str()), 1;
  int64_t rows = 0, added = 0;
  for (const auto& f : out.files) rows += f.rows, added += f.added;
  auto sum = fanzha::import::CountPostings(**store);
  if (!sum.ok()) return std::fprintf(stderr, "cannot sum\n"), 1;
  int64_t postings = sum->postings;
  Fen in = sum->in, out_fen = sum->out;
  auto totals = (*store)->CountTotals();
  if (rows != g.transactions || added != g.transactions || postings != g.transactions ||
      in != g.in || out_fen != g.out || !totals.ok() || totals->transfers != g.transactions)
    return std::fprintf(
               stderr,
               "%s: check failed: rows %lld added %lld postings %lld in %lld/%lld out %lld/%lld\n",
               label, (long long)rows, (long long)added, (long long)postings, (long long)in,
               (long long)g.in, (long long)out_fen, (long long)g.out),
           1;
  std::printf(
      "%-6s import: %lld transactions (%lld files, %.0f MB) in %.2f s CPU, %.2f s wall: "
      "%.2f us CPU per transaction (checked rows, transfers, money in and out)\n",
      label, (long long)g.transactions, (long long)files.size(), file_mb, cpu, wall,
      cpu * 1e6 / g.transactions);
  return 0;
}

struct Counter : fanzha::iso20022::StatementVisitor {
  int64_t n = 0;
  Fen in = 0, out = 0;
  fanzha::Status OnTransaction(const fanzha::iso20022::Transaction& t) override {
    ++n;
    (t.credit ? in : out) += t.amount;
    return fanzha::Status::Ok();
  }
};

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1000000, accounts = 100;
  int batch = 1;
  std::string dir = "/tmp/fanzha_camt_bench", only, xsd;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--transactions")
      n = std::atoll(value().c_str());
    else if (a == "--accounts")
      accounts = std::atoll(value().c_str());
    else if (a == "--batch")
      batch = std::atoi(value().c_str());
    else if (a == "--dir")
      dir = value();
    else if (a == "--only")
      only = value();
    else if (a == "--validate")
      xsd = value();
    else if (a == "--keep")
      keep = true;
    else
      return std::fprintf(stderr,
                          "usage: camt_bench [--transactions N] [--accounts S] [--batch K] "
                          "[--dir DIR] [--only camt|csv|parse] [--keep] [--validate XSD]\n"),
             2;
  }
  if (n <= 0 || accounts <= 0 || batch <= 0) return std::fprintf(stderr, "bad arguments\n"), 2;
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto t0 = Clock::now();
  Generated g = Generate(dir, n, accounts, batch);
  std::string xml = dir + "/statement.xml";
  double xml_mb = fs::file_size(xml) / 1e6, csv_mb = 0;
  for (const auto& f : g.csv_files) csv_mb += fs::file_size(f) / 1e6;
  std::printf(
      "generated %lld transactions in %lld entries (batches of 1..%d) for %lld accounts: "
      "camt.053 %.0f MB, CSV %.0f MB, %.1f s\n",
      (long long)g.transactions, (long long)g.entries, batch, (long long)accounts, xml_mb, csv_mb,
      std::chrono::duration<double>(Clock::now() - t0).count());
  if (!xsd.empty()) {
    if (!Validate(xml, xsd))
      return std::fprintf(stderr, "the generated statement is not valid against %s\n", xsd.c_str()),
             1;
    std::printf("valid against %s\n", xsd.c_str());
  }
  int rc = 0;
  if (only.empty() || only == "parse") {
    Counter c;
    double cpu = CpuSeconds();
    fanzha::iso20022::ReadOptions o;
    auto r = fanzha::iso20022::ReadStatementFile(xml, o, c);
    cpu = CpuSeconds() - cpu;
    if (!r.ok()) return std::fprintf(stderr, "%s\n", r.status().message().c_str()), 1;
    if (c.n != g.transactions || c.in != g.in || c.out != g.out)
      return std::fprintf(stderr, "parse: check failed\n"), 1;
    std::printf(
        "parse  only:   %lld transactions in %.2f s CPU: %.2f us per transaction, %.0f MB/s "
        "(checked count and money)\n",
        (long long)c.n, cpu, cpu * 1e6 / c.n, xml_mb / cpu);
  }
  if (!rc && (only.empty() || only == "camt"))
    rc = ImportAndCheck("camt", dir + "/camt.db", {xml}, g, xml_mb);
  if (!rc && (only.empty() || only == "csv"))
    rc = ImportAndCheck("csv", dir + "/csv.db", g.csv_files, g, csv_mb);
  if (!keep) fs::remove_all(dir);
  return rc;
}
