// The JSON shapes of linking's answers (json.h).
#include "link/json.h"

#include "core/money.h"

namespace fanzha::link {
namespace {

nlohmann::ordered_json EvidenceJson(const Evidence& e) {
  return {{"cases", e.cases}, {"kind", e.kind}, {"value", e.value}, {"weight", e.weight}};
}

nlohmann::ordered_json HubsJson(const std::vector<Hub>& hubs) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Hub& h : hubs)
    out.push_back({{"kind", h.kind}, {"value", h.value}, {"cases", h.cases}});
  return out;
}

nlohmann::ordered_json EvidenceListJson(const std::vector<Evidence>& evidence) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Evidence& e : evidence) out.push_back(EvidenceJson(e));
  return out;
}

}  // namespace

nlohmann::ordered_json ToJson(const Answer& answer) {
  nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
  for (const Cluster& c : answer.clusters) {
    clusters.push_back({{"id", c.id},
                        {"cases", c.cases},
                        {"loss", FormatMoney(c.loss)},
                        {"regions", c.regions},
                        {"evidence", EvidenceListJson(c.evidence)}});
  }
  return {{"clusters", clusters}, {"hubs", HubsJson(answer.hubs)}};
}

nlohmann::ordered_json ToJson(const Explanation& x) {
  nlohmann::ordered_json via = nlohmann::ordered_json::array();
  for (const auto& [c, before] : x.reached_via) via.push_back({{"case", c}, {"via", before}});
  return {{"case", x.case_id},
          {"cluster", x.cluster_id.empty() ? nlohmann::ordered_json(nullptr)
                                           : nlohmann::ordered_json(x.cluster_id)},
          {"cases", x.cluster_cases},
          {"evidence", EvidenceListJson(x.evidence)},
          {"reached", via},
          {"set_aside", HubsJson(x.set_aside)},
          {"weak_money", x.weak_money}};
}

}  // namespace fanzha::link
