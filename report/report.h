// Statistics and reports (战果统计, 宣传): figures by day, region and fraud type; a daily report a
// centre sends upward (one HTML file with inline SVG charts, no network); public advisories that
// describe the current scripts without any personal data.
//
// Every figure is attributed through its record: cases, loss, linked cases, frozen and returned
// money by the case (reported day, the victim's city, its category); leads by their push (day,
// jurisdiction, the lead's category); warnings by their first event, region and category;
// takedowns by their request, the lead's jurisdiction and category. Days are China Standard Time
// dates; regions are city-level GB/T 2260 codes. "linked" counts cases carried by a lead of two or
// more cases (as of the last `fanzha dispatch`).
//
// Threads: thread-compatible like the Store. Cost: one scan of each table.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/lang.h"
#include "core/money.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::report {

enum class Dimension { kDay, kRegion, kCategory };
Result<Dimension> ParseDimension(std::string_view s);  // "day" | "region" | "category"

struct Row {
  std::string key;  // "2020-02-03", "450200" or "refund"
  int64_t cases = 0, linked = 0;
  Fen loss = 0, frozen = 0, returned = 0;
  int64_t leads_pushed = 0, leads_answered = 0, leads_overdue = 0, arrests = 0, solved = 0;
  int64_t warnings = 0, takedowns = 0;
};

// One row per key, ordered by key. Overdue is judged at `now`. `within` (a GB/T 2260 code) counts
// only the records attributed to it or a division under it (region::Covers: a province its cities);
// "" counts every record.
Result<std::vector<Row>> Breakdown(store::Store& store, Dimension by, Millis now,
                                   std::string_view within = {});

nlohmann::ordered_json ToJson(const std::vector<Row>& rows);  // an array of objects, money "12.34"
std::string ToCsv(const std::vector<Row>& rows);              // header + one line per row

// The figures of one day and the totals up to and including it.
struct Daily {
  std::string day;  // "2020-02-08"
  Row figures;      // key: the day
  Row to_date;      // key: "total"
};
// For `day` ("2020-02-08"; empty: the last day with a reported case), counting as Breakdown does
// within `within`. kInvalidInput naming "day" when it is not a YYYY-MM-DD date; kNotFound when
// `day` is empty and no case counts.
Result<Daily> DailyFigures(store::Store& store, const std::string& day, Millis now,
                           std::string_view within = {});
// {"day", "figures": {...a row...}, "to_date": {...}}, rows as in ToJson above.
nlohmann::ordered_json ToJson(const Daily& daily);

// The daily report as one self-contained HTML page for `day` (as DailyFigures): the day's figures
// and the totals to date, a chart of the 30 days up to it, and tables by region and by fraud type,
// counting within `within` as Breakdown does. Errors as DailyFigures.
// In `lang`: Chinese (the default), English, or both (each label in Chinese then English).
Result<std::string> DailyReport(store::Store& store, const std::string& day, Millis now,
                                std::string_view within = {}, Lang lang = Lang::kZh);

// Public advisories (Markdown) for the `days` days up to the last reported case: the most common
// fraud types, how each script goes and how to recognise it, with counts and losses. Built from
// counts and fixed texts only: no narrative, name, number, account or address of any case.
// A public document has one language: Chinese (the default, and for kBoth) or English.
Result<std::string> Advisories(store::Store& store, int days = 30, Lang lang = Lang::kZh);

}  // namespace fanzha::report
