// Generated fraud worlds with ground truth: the data every later capability (trace, link, dispatch,
// warn) is tested and measured on. Start here; the other headers of gen/ are its parts.
//
// A world is ordinary life (people, salaries, person-to-person transfers, purchases, payment
// platforms, cash, a few busy hub accounts) plus gangs, each with a home city whose phone prefixes
// geocode there, and mule accounts in layers (collection -> split -> gather -> cash-out) that move
// victims' money within minutes to hours. Mule cards are rented from real people of the world who
// keep living on them. Victims report cases with identifiers written the way victims write them.
//
// Files written to the output directory (formats: spec/FORMATS.md):
//   accounts.csv, transfers.csv, cases.jsonl, events.jsonl, 流水_<account>.csv (a few statements),
//   truth/cases.csv    case,gang,category,victim_account,loss,first_payment
//   truth/gangs.csv    gang,home_region,home_city,phones,wechat,qq,domains,categories
//   truth/mules.csv    account,gang,layer            (layer: collection|split|gather|cashout)
//   truth/targets.csv  phone,account,gang,case,first_contact,outcome   (outcome: paid|not_paid)
//   truth/hubs.csv     kind,value                    (values shared by unrelated cases)
//   truth/accomplices.csv account,gang,role          (accomplice|seller: where money leaks)
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace fanzha::gen {

struct GenOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int64_t transfers = 100000;  // approximate total rows of transfers.csv (>= 1000)
  int64_t cases = -1;          // -1: max(20, transfers / 1000)
  Millis start = 1580486400000;  // 2020-02-01T00:00:00+08:00
  int days = 30;
  int64_t events = -1;  // -1: about transfers / 5
  int statements = 3;   // accounts whose bank statements are written (流水_<account>.csv)
};

struct GenSummary {
  int64_t accounts = 0, transfers = 0, fraud_transfers = 0, cases = 0, gangs = 0, mules = 0,
          events = 0, statements = 0;
};

// Generates the world described by `options` into options.out_dir (created if missing; files in it
// are overwritten). Deterministic: the same options give byte-identical files on any machine.
// Memory stays bounded whatever `transfers` is (rows are produced hour by hour and streamed out);
// the population grows with transfers up to a cap. `progress`, when set, is called with the number
// of transfers written so far. Returns an Io error when a file cannot be written, Invalid for bad
// options.
Result<GenSummary> GenerateWorld(const GenOptions& options,
                                 const std::function<void(int64_t)>& progress = {});

}  // namespace fanzha::gen
