// Routes over report/: figures by day, region and fraud type, and the daily report. Centres,
// investigators and hotline operators see the figures of their own region (a province its cities;
// a centre without a region everything), counted record by record, never a national total.
#include "region/region.h"
#include "report/report.h"
#include "server/impl.h"

namespace fanzha::server {
namespace {

// The region the figures are for: `region` when asked (within the caller's), else the caller's.
Result<std::string> FiguresRegion(const Call& call) {
  std::string region = call.query("region");
  if (region.empty()) region = call.user.region;
  if (!auth::CanSeeFigures(call.user, region)) {
    return Forbidden("a " + std::string(auth::Name(call.user.role)) +
                     " may not see the figures of region '" + region + "'")
        .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权查看地区 '" + region +
                "' 的统计数据");
  }
  return region;
}

// GET /api/stats/breakdown?by=day|region|category[&region=CODE]
Result<Reply> Breakdown(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(std::string region, FiguresRegion(call));
  if (call.query("by").empty())
    return Status::Invalid("by: missing (day, region or category)")
        .WithZh("by：缺失（可选 day、region、category）");
  Result<report::Dimension> by = report::ParseDimension(call.query("by"));
  if (!by.ok()) return FieldOf("by: ", by.status());

  Result<std::vector<report::Row>> rows = [&] {
    MutexLock lock(s.db_mu);
    return report::Breakdown(*s.store, *by, s.clock().Now(), region);
  }();
  if (!rows.ok()) return rows.status();
  json list = report::ToJson(*rows);
  if (*by == report::Dimension::kRegion) {
    for (auto& row : list)
      row["name"] = region::RegionTable::Builtin().DisplayName(row["key"].get<std::string>());
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "stats.breakdown", region, call.query("reason"),
                                 "by " + call.query("by")));
  return JsonReply({{"by", call.query("by")}, {"region", region}, {"rows", list}});
}

// GET /api/stats/daily[?day=YYYY-MM-DD&region=CODE]
Result<Reply> Daily(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(std::string region, FiguresRegion(call));
  const std::string day = call.query("day");
  Result<json> doc = [&]() -> Result<json> {
    MutexLock lock(s.db_mu);
    FANZHA_ASSIGN_OR_RETURN(report::Daily daily,
                            report::DailyFigures(*s.store, day, s.clock().Now(), region));
    FANZHA_ASSIGN_OR_RETURN(
        std::string html,
        report::DailyReport(*s.store, daily.day, s.clock().Now(), region,
                            LangOfAcceptLanguage(call.req.header("Accept-Language"))));
    json d = report::ToJson(daily);
    d["region"] = region;
    d["html"] = std::move(html);
    return d;
  }();
  if (!doc.ok()) return doc.status();
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "stats.daily", region, call.query("reason"),
                                 (*doc)["day"].get<std::string>()));
  return JsonReply(*doc);
}

}  // namespace

void Server::Impl::AddReportRoutes() {
  Route("GET", "/api/stats/breakdown", Access(kFigureRoles),
        [this](Call& call) { return Breakdown(*this, call); });
  Route("GET", "/api/stats/daily", Access(kFigureRoles),
        [this](Call& call) { return Daily(*this, call); });
}

}  // namespace fanzha::server
