// A synthetic world of fraud cases with known gangs, for linking tests and benchmarks: gangs with
// their own phones, accounts, WeChat ids, sites, scripts and mule accounts; lone fraudsters; values
// reported in many formats (+86, dashes, spaces, full-width digits, upper case); hubs (a courier
// hotline, a big platform's domain, a common script) and money that reaches strangers by a few
// yuan. Deterministic for a seed. Not thread-safe state: a plain function.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "link/link.h"

namespace fanzha::link {

struct WorldOptions {
  int64_t cases = 1000;
  uint64_t seed = 1;
  double lone_rate = 0.2;            // cases by a fraudster with no other victim
  double hub_phone_rate = 0.08;      // cases that also list the courier hotline
  double hub_domain_rate = 0.12;     // cases that also list a link on the big platform's domain
  double common_script_rate = 0.08;  // cases whose narrative is the common script, not the gang's
  double money_gang_rate = 0.5;      // gangs whose traced money is known (a shared mule account)
  double gang_size_mean = 5;         // cases per gang (geometric, at least 2)
};

struct World {
  std::vector<LinkCase> cases;  // normalised, as the store would give them
  std::vector<CaseMoney> money;
  std::vector<std::vector<std::string>> raw;           // per case: identifiers as reported
  std::unordered_map<std::string, std::string> truth;  // case id -> gang id ("" when alone)
  int64_t identifiers = 0;
};

World MakeWorld(const WorldOptions& options);

}  // namespace fanzha::link
