// A world split by institution (split.h).
#include "bank/split.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/text.h"
#include "interchange/messages.h"
#include "normalise/normalise.h"

namespace fanzha::bank {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPlatformFolder = "platform";
constexpr uint32_t kNoBank = UINT32_MAX;

// A file written through a buffer of its own; closed (and checked) by Close().
class Output {
 public:
  static Result<std::unique_ptr<Output>> Open(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return WriteError(path, errno);
    return std::unique_ptr<Output>(new Output(path, f));
  }
  ~Output() {
    if (file_) std::fclose(file_);
  }
  Status Write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
      return WriteError(path_, errno);
    return Status::Ok();
  }
  Status Close() {
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) return WriteError(path_, errno);
    return Status::Ok();
  }

 private:
  Output(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
  }
  static Status WriteError(const std::string& path, int err) {
    return Status::Io(path + ": cannot be written (" + std::strerror(err) + ")")
        .WithZh(path + "：无法写入（" + std::strerror(err) + "）");
  }
  std::string path_;
  std::FILE* file_;
};

// A CSV file of the world, opened in its encoding, its header read.
struct Input {
  std::unique_ptr<CsvReader> reader;
  std::vector<std::string> header;  // as read
  std::string header_row;           // written back as core/csv.h writes rows
};

Result<Input> OpenInput(const std::string& path) {
  FANZHA_ASSIGN_OR_RETURN(FileEncoding encoding, DetectEncoding(path, Encoding::kAuto));
  Input in;
  FANZHA_ASSIGN_OR_RETURN(in.reader, CsvReader::Open(path, encoding));
  std::vector<std::string_view> row;
  if (!in.reader->Next(&row)) {
    if (!in.reader->status().ok()) return in.reader->status();
    return Status::Invalid(path + ":1: empty file (no header)")
        .WithZh(path + ":1：空文件（没有表头）");
  }
  in.header.assign(row.begin(), row.end());
  AppendCsvRow(&in.header_row, in.header);
  return in;
}

// The index of column `name` in the header (matched as the importer matches it).
Result<size_t> Column(const Input& in, std::string_view name) {
  for (size_t i = 0; i < in.header.size(); ++i)
    if (CsvHeaderKey(in.header[i]) == name) return i;
  const std::string& path = in.reader->path();
  return Status::Invalid(path + ":1: missing column '" + std::string(name) + "'")
      .WithZh(path + ":1：缺少列“" + std::string(name) + "”");
}

// "FILE:LINE" of the row read last.
std::string Where(const Input& in) {
  return in.reader->path() + ":" + std::to_string(in.reader->line());
}

Status CheckFields(const Input& in, size_t fields) {
  if (fields == in.header.size()) return Status::Ok();
  const std::string where = Where(in);
  return Status::Invalid(where + ": the row has " + std::to_string(fields) +
                         " fields, the header " + std::to_string(in.header.size()))
      .WithZh(where + "：该行有 " + std::to_string(fields) + " 个字段，表头有 " +
              std::to_string(in.header.size()) + " 个");
}

Status CopyWhole(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (!ec) return Status::Ok();
  return Status::Io(from + ": cannot be copied to " + to + " (" + ec.message() + ")")
      .WithZh(from + "：无法复制到 " + to + "（" + ec.message() + "）");
}

// The ids of the victims' payments the reports name (cases.jsonl `transfers`): the platform holds
// those transfers, as a report brings them. Lines that do not parse are left to the importer.
std::unordered_set<std::string> ReportedPayments(const std::string& path) {
  std::unordered_set<std::string> ids;
  std::ifstream in(path, std::ios::binary);
  for (std::string text; std::getline(in, text);) {
    nlohmann::json c = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!c.is_object() || !c.contains("transfers") || !c["transfers"].is_array()) continue;
    for (const auto& id : c["transfers"])
      if (id.is_string()) ids.insert(id.get<std::string>());
  }
  return ids;
}

struct BankOut {
  BankShare share;
  std::unique_ptr<Output> file;  // its accounts.csv, then its transfers.csv
};

}  // namespace

Result<SplitSummary> SplitWorld(const SplitOptions& options) {
  const std::string& out = options.out;
  std::error_code ec;
  fs::create_directories(fs::path(out) / kPlatformFolder, ec);
  if (ec) {
    return Status::Io(out + ": cannot be created (" + ec.message() + ")")
        .WithZh(out + "：无法创建（" + ec.message() + "）");
  }
  SplitSummary summary;
  std::vector<BankOut> banks;
  std::map<std::string, uint32_t, std::less<>> bank_of_institution;
  std::vector<std::string_view> row;
  std::string line;

  // accounts.csv: each bank's own rows, and which bank holds each account.
  struct Held {
    uint32_t bank;
    int64_t line;
  };
  std::unordered_map<std::string, Held> holder;  // normalised account -> its bank
  {
    FANZHA_ASSIGN_OR_RETURN(Input in, OpenInput(options.world + "/accounts.csv"));
    FANZHA_ASSIGN_OR_RETURN(size_t account_col, Column(in, "account"));
    FANZHA_ASSIGN_OR_RETURN(size_t institution_col, Column(in, "institution"));
    while (in.reader->Next(&row)) {
      ++summary.accounts;
      FANZHA_RETURN_IF_ERROR(CheckFields(in, row.size()));
      const std::string_view institution = Trim(row[institution_col]);
      uint32_t bank = kNoBank;
      if (institution.empty()) {
        ++summary.accounts_without_institution;
      } else if (auto it = bank_of_institution.find(institution); it != bank_of_institution.end()) {
        bank = it->second;
      } else {  // a bank seen first: its folder and its accounts.csv
        Result<std::string> token = interchange::InstitutionToken(institution);
        if (!token.ok()) return token.status().WithContext(Where(in) + ": institution");
        if (*token == kPlatformFolder) {
          return Status::Invalid(Where(in) + ": institution: '" + std::string(institution) +
                                 "' would share the platform's folder")
              .WithZh(Where(in) + "：institution：“" + std::string(institution) +
                      "”与平台的目录同名");
        }
        const std::string dir = out + "/" + *token;
        fs::create_directories(dir, ec);
        if (ec) {
          return Status::Io(dir + ": cannot be created (" + ec.message() + ")")
              .WithZh(dir + "：无法创建（" + ec.message() + "）");
        }
        bank = static_cast<uint32_t>(banks.size());
        bank_of_institution.emplace(std::string(institution), bank);
        BankOut& b = banks.emplace_back();
        b.share.institution = institution;
        b.share.token = *token;
        FANZHA_ASSIGN_OR_RETURN(b.file, Output::Open(dir + "/accounts.csv"));
        FANZHA_RETURN_IF_ERROR(b.file->Write(in.header_row));
      }
      auto [seen, added] = holder.emplace(normalise::NormaliseAccount(row[account_col]),
                                          Held{bank, in.reader->line()});
      if (!added && seen->second.bank != bank) {
        const std::string first = std::to_string(seen->second.line);
        return Status::Invalid(Where(in) + ": institution: account " + seen->first +
                               " is listed on line " + first + " with another institution")
            .WithZh(Where(in) + "：institution：账户 " + seen->first + " 在第 " + first +
                    " 行属于另一机构");
      }
      if (bank == kNoBank) continue;
      ++banks[bank].share.accounts;
      line.clear();
      AppendCsvRow(&line, row);
      FANZHA_RETURN_IF_ERROR(banks[bank].file->Write(line));
    }
    FANZHA_RETURN_IF_ERROR(in.reader->status());
    for (BankOut& b : banks) FANZHA_RETURN_IF_ERROR(b.file->Close());
  }

  // transfers.csv, once: each row to the banks of its accounts.
  {
    FANZHA_ASSIGN_OR_RETURN(Input in, OpenInput(options.world + "/transfers.csv"));
    FANZHA_ASSIGN_OR_RETURN(size_t from_col, Column(in, "from"));
    FANZHA_ASSIGN_OR_RETURN(size_t to_col, Column(in, "to"));
    FANZHA_ASSIGN_OR_RETURN(size_t id_col, Column(in, "id"));
    for (BankOut& b : banks) {
      FANZHA_ASSIGN_OR_RETURN(b.file, Output::Open(out + "/" + b.share.token + "/transfers.csv"));
      FANZHA_RETURN_IF_ERROR(b.file->Write(in.header_row));
    }
    const std::unordered_set<std::string> reported =
        ReportedPayments(options.world + "/cases.jsonl");
    FANZHA_ASSIGN_OR_RETURN(
        std::unique_ptr<Output> payments,
        Output::Open(out + "/" + std::string(kPlatformFolder) + "/transfers.csv"));
    FANZHA_RETURN_IF_ERROR(payments->Write(in.header_row));
    std::string account;
    // The bank of an account (kNoBank when none); counts an account accounts.csv does not list.
    bool unknown = false;
    auto bank_of = [&](std::string_view field) {
      account = normalise::NormaliseAccount(field);
      if (account.empty()) return kNoBank;
      auto it = holder.find(account);
      if (it != holder.end()) return it->second.bank;
      unknown = true;
      return kNoBank;
    };
    while (in.reader->Next(&row)) {
      ++summary.transfers;
      FANZHA_RETURN_IF_ERROR(CheckFields(in, row.size()));
      unknown = false;
      line.clear();
      AppendCsvRow(&line, row);
      if (reported.count(std::string(Trim(row[id_col])))) {
        ++summary.reported_payments;
        FANZHA_RETURN_IF_ERROR(payments->Write(line));
      }
      const uint32_t from = bank_of(row[from_col]), to = bank_of(row[to_col]);
      summary.unknown_account += unknown;
      if (from == kNoBank && to == kNoBank) {
        ++summary.to_no_bank;
        continue;
      }
      if (from != kNoBank) {
        ++banks[from].share.transfers;
        FANZHA_RETURN_IF_ERROR(banks[from].file->Write(line));
      }
      if (to != kNoBank && to != from) {
        ++banks[to].share.transfers;
        FANZHA_RETURN_IF_ERROR(banks[to].file->Write(line));
      }
      summary.interbank += from != kNoBank && to != kNoBank && from != to;
    }
    FANZHA_RETURN_IF_ERROR(in.reader->status());
    for (BankOut& b : banks) FANZHA_RETURN_IF_ERROR(b.file->Close());
    FANZHA_RETURN_IF_ERROR(payments->Close());
  }

  // The platform: the national account registry and the reports, as they are.
  const std::string platform = out + "/" + std::string(kPlatformFolder);
  FANZHA_RETURN_IF_ERROR(CopyWhole(options.world + "/accounts.csv", platform + "/accounts.csv"));
  FANZHA_RETURN_IF_ERROR(CopyWhole(options.world + "/cases.jsonl", platform + "/cases.jsonl"));

  for (auto& [institution, bank] : bank_of_institution)
    summary.banks.push_back(std::move(banks[bank].share));
  return summary;
}

}  // namespace fanzha::bank
