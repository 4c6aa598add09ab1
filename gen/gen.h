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
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace fanzha::gen {

// The shape of a world: how many accounts there are, how busy mule cards are, how wide and how far
// a victim's money spreads, how big transactions are. Tracing and storage costs depend on it (a
// busy mule card passes taint on to thousands of people), so the benchmarks run on several. Named
// presets: ShapeNamed(); the defaults are the shape "gen".
struct Shape {
  int64_t accounts = -1;               // people; -1: transfers / transfers_per_account
  int64_t transfers_per_account = 20;  // (the people are then kept within 1,500 .. 5,000,000)
  int64_t transfers_per_case = 1000;  // cases when GenOptions::cases is -1: transfers / this, >= 20
  // Everyday transfers of each mule card over the whole period, beyond its holder's share of
  // ordinary life: salaries and payments from people, payments to people and shops, cash. 0: none.
  int64_t mule_transfers = 0;
  int fan_out = 4;  // a collection card splits each victim payment over 2..fan_out split cards
  int layers = 2;   // a split card may pass the money to another split card, up to this many times
  int layer_chance = 250;    // per mille: the chance it does so at each split card
  int amount_percent = 100;  // every amount (payments, salaries, balances), percent of gen's
};

// The named shapes, in the order `fanzha gen --help` lists them:
//   gen         the defaults: mule cards are ordinary people's cards (tens of transfers a month),
//               victim payments split in 2-4, at most two extra split layers.
//   busy-mules  mule cards are busy everyday cards (1,500 transfers of their own each; 25 transfers
//               a person, a case per 5,000 transfers): a poisoned card's later payments reach
//               thousands of people.
//   wide        huge fan-out: each victim payment is split over up to 40 split cards.
//   deep        long chains: split cards pass the money on through up to 12 more split cards.
std::span<const std::string_view> ShapeNames();
// Invalid naming the known shapes for any other name.
Result<Shape> ShapeNamed(std::string_view name);

struct GenOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int64_t transfers = 100000;    // approximate total rows of transfers.csv (>= 1000)
  int64_t cases = -1;            // -1: max(20, transfers / shape.transfers_per_case)
  Millis start = 1580486400000;  // 2020-02-01T00:00:00+08:00
  int days = 30;
  int64_t events = -1;  // -1: about transfers / 5
  int statements = 3;   // accounts whose bank statements are written (流水_<account>.csv)
  // Institutions holding people's cards and companies' accounts: the first `banks` of
  // gen/identity.h's Issuers() (1..IssuingInstitutions(), at least 20). The default, 8, is the
  // worlds made before this option, byte for byte.
  int banks = 8;
  Shape shape;
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
// options (shape fields out of range included).
Result<GenSummary> GenerateWorld(const GenOptions& options,
                                 const std::function<void(int64_t)>& progress = {});

}  // namespace fanzha::gen
