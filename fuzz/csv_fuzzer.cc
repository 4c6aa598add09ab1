// core/csv.h: CsvReader over any bytes, and the writer (AppendCsvRow) it must agree with.
// Invariants: reading ends with Ok or an kInvalidInput naming the file; line numbers start at 1 and
// grow; the rows read, written again with AppendCsvRow (after a byte order mark, so that a first
// field that starts with one keeps it), read back as the same rows, field for field.
#include <vector>

#include "core/csv.h"
#include "fuzz/fuzz_util.h"

using namespace fanzha;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(const std::string& path, Status* status) {
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  FUZZ_CHECK(reader.ok(), reader.status().ToString());
  Rows rows;
  std::vector<std::string_view> fields;
  int64_t last_line = 0;
  while ((*reader)->Next(&fields)) {
    FUZZ_CHECK((*reader)->line() > last_line, std::to_string((*reader)->line()));
    last_line = (*reader)->line();
    FUZZ_CHECK(!fields.empty(), path);
    rows.emplace_back(fields.begin(), fields.end());
  }
  *status = (*reader)->status();
  return rows;
}

std::string Show(const Rows& rows) {
  std::string out;
  for (const auto& r : rows) AppendCsvRow(&out, r);
  return out;
}

// Rows one a line, fields in brackets, bytes outside printable ASCII as \xNN: for reports.
std::string Dump(const Rows& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (const std::string& f : r) {
      out += '[';
      for (unsigned char c : f) {
        if (c >= 0x20 && c < 0x7F) {
          out += static_cast<char>(c);
        } else {
          char hex[5];
          std::snprintf(hex, sizeof hex, "\\x%02X", c);
          out += hex;
        }
      }
      out += ']';
    }
    out += '\n';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::TempDir() + "/in.csv";
  fuzz::WriteFile(path, fuzz::Text(data, size));
  Status status;
  Rows rows = ReadAll(path, &status);
  if (!status.ok()) {
    FUZZ_CHECK(status.code() == ErrorCode::kInvalidInput, status.ToString());
    FUZZ_CHECK(status.message().starts_with(path + ":"), status.ToString());
    FUZZ_CHECK_ERROR(status);
  }
  std::string written = "\xEF\xBB\xBF" + Show(rows);
  const std::string again = fuzz::TempDir() + "/again.csv";
  fuzz::WriteFile(again, written);
  Status again_status;
  Rows back = ReadAll(again, &again_status);
  FUZZ_CHECK(again_status.ok(), again_status.ToString());
  FUZZ_CHECK(back == rows, "read:\n" + Dump(rows) + "wrote, then read back:\n" + Dump(back));
  return 0;
}
