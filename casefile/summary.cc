// summary.html: the evidence package for people, in Chinese (package.h). Printed to PDF by a
// headless browser (docs/CASEFILE.md); everything that came from outside is escaped.
#include <algorithm>
#include <cmath>
#include <map>

#include "casefile/package.h"
#include "core/money.h"
#include "core/text.h"
#include "freeze/orders.h"
#include "region/region.h"

namespace fanzha::casefile {
namespace {

using ojson = nlohmann::ordered_json;

// "2020-02-08 00:42" in Asia/Shanghai: what a reader expects, never raw RFC 3339.
std::string Local(Millis t) { return FormatMinute(t); }
// The same from an RFC 3339 text of a stored answer ("" stays "").
std::string LocalText(const ojson& j) {
  if (!j.is_string()) return "";
  Result<Millis> t = ParseTime(j.get<std::string>());
  return t.ok() ? Local(*t) : EscapeHtml(j.get<std::string>());
}
std::string Yuan(Fen f) { return FormatMoneyGrouped(f) + " 元"; }
std::string YuanText(const ojson& j) {
  if (!j.is_string()) return "";
  Result<Fen> f = ParseMoney(j.get<std::string>());
  return f.ok() ? Yuan(*f) : EscapeHtml(j.get<std::string>());
}
std::string E(std::string_view s) { return EscapeHtml(s); }
std::string Str(const ojson& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string Region(const std::string& code) {
  std::string name = region::RegionTable::Builtin().FullName(code);
  return E(code) + (name.empty() ? "" : " " + E(name));
}

constexpr std::string_view kStyle = R"(<style>
body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC",sans-serif;margin:2em;color:#111;font-size:11pt}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:1.4em}
table{border-collapse:collapse;width:100%;margin:.4em 0}td,th{border:1px solid #bbb;padding:2px 5px;
text-align:left;vertical-align:top}th{background:#eee;white-space:nowrap}td.n{text-align:right;white-space:nowrap}
.meta{color:#444}.warn{color:#b00;font-weight:bold}.soon{color:#b60}svg{width:100%;height:auto}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}@page{size:A4;margin:15mm}}
</style>)";

std::string Facts(const SummaryInput& in) {
  const Case& c = in.c;
  Fen loss = c.loss.value_or(0);
  std::string h = "<h2>一、案情</h2><table>";
  h += "<tr><th>案件编号</th><td>" + E(c.id) + "</td><th>报案时间</th><td>" + Local(c.reported_at) +
       "</td></tr>";
  const Category* category = FindCategory(c.category);
  h += "<tr><th>受案地</th><td>" + Region(c.region) + "</td><th>案件类别</th><td>" +
       (category ? E(category->zh) : E(c.category)) + "</td></tr>";
  h += "<tr><th>受害人</th><td>" + E(c.victim.name) + "</td><th>报损金额</th><td>" +
       (c.loss ? Yuan(loss) : std::string("按所列转账合计")) + "</td></tr>";
  h += "<tr><th>简要案情</th><td colspan=3>" + E(c.narrative) + "</td></tr></table>";
  return h;
}

// The money-flow chart: accounts in columns by hop, the largest of each column drawn, flows
// between drawn accounts as bands as wide as their money.
std::string FlowChart(const trace::Answer& a) {
  constexpr size_t kPerColumn = 12;
  constexpr int kColWidth = 170, kRowHeight = 34, kBox = 120;
  std::map<std::string, std::pair<int, Fen>> node;  // account -> (hop, money in)
  for (const trace::Flow& f : a.flows) {
    if (f.to.empty()) continue;
    auto [it, fresh] = node.emplace(f.to, std::make_pair(f.hops, Fen{0}));
    it->second.first = std::min(it->second.first, f.hops);
    it->second.second += f.amount;
  }
  for (const trace::Flow& f : a.flows) {
    if (!f.from.empty()) node.emplace(f.from, std::make_pair(std::max(0, f.hops - 1), Fen{0}));
  }
  std::map<int, std::vector<std::pair<Fen, std::string>>> columns;
  for (const auto& [account, hm] : node) columns[hm.first].push_back({hm.second, account});
  std::map<std::string, std::pair<int, int>> at;  // drawn account -> (x, y)
  int max_rows = 1, x = 0;
  std::string boxes;
  for (auto& [hop, accounts] : columns) {
    std::sort(accounts.begin(), accounts.end(), std::greater<>());
    int y = 10;
    for (size_t i = 0; i < accounts.size() && i < kPerColumn; ++i, y += kRowHeight) {
      at[accounts[i].second] = {x, y};
      boxes += "<rect x='" + std::to_string(x) + "' y='" + std::to_string(y) + "' width='" +
               std::to_string(kBox) + "' height='26' fill='#e8eef8' stroke='#4a6fa5'/><text x='" +
               std::to_string(x + 4) + "' y='" + std::to_string(y + 11) + "' font-size='9'>" +
               E(Excerpt(accounts[i].second, 22)) + "</text><text x='" + std::to_string(x + 4) +
               "' y='" + std::to_string(y + 22) + "' font-size='9'>" +
               (accounts[i].first ? FormatMoneyGrouped(accounts[i].first) : "") + "</text>";
    }
    if (accounts.size() > kPerColumn) {
      boxes += "<text x='" + std::to_string(x) + "' y='" + std::to_string(y + 12) +
               "' font-size='9'>另有 " + std::to_string(accounts.size() - kPerColumn) +
               " 个账户</text>";
      y += kRowHeight;
    }
    max_rows = std::max(max_rows, y / kRowHeight + 1);
    x += kColWidth;
  }
  std::map<std::pair<std::string, std::string>, Fen> bands;
  Fen widest = 1;
  for (const trace::Flow& f : a.flows) {
    if (at.count(f.from) && at.count(f.to))
      widest = std::max(widest, bands[{f.from, f.to}] += f.amount);
  }
  std::string lines;
  for (const auto& [pair, fen] : bands) {
    auto [x1, y1] = at[pair.first];
    auto [x2, y2] = at[pair.second];
    double w = 1 + 9.0 * std::sqrt(static_cast<double>(fen) / static_cast<double>(widest));
    lines += "<line x1='" + std::to_string(x1 + kBox) + "' y1='" + std::to_string(y1 + 13) +
             "' x2='" + std::to_string(x2) + "' y2='" + std::to_string(y2 + 13) +
             "' stroke='#c0504d' stroke-opacity='0.45' stroke-width='" + std::to_string(w) + "'/>";
  }
  const int width = std::max(x, kColWidth), height = max_rows * kRowHeight + 10;
  return "<svg viewBox='0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "' xmlns='http://www.w3.org/2000/svg'>" + lines + boxes + "</svg>";
}

std::string PolicyName(trace::Policy p) {
  switch (p) {
    case trace::Policy::kFifo:
      return "先进先出（fifo）";
    case trace::Policy::kLifo:
      return "后进先出（lifo）";
    case trace::Policy::kHaircut:
      return "按比例（haircut）";
    case trace::Policy::kPoison:
      return "全额追踪（poison）";
  }
  return std::string(trace::Name(p));
}

std::string Money(const SummaryInput& in) {
  std::string h = "<h2>二、资金流向</h2>";
  if (!in.trace) return h + "<p>本案未列被骗转账，尚未追踪资金。</p>";
  const trace::Answer& a = *in.trace;
  h += "<p class=meta>按" + PolicyName(a.policy) + "规则追踪，至多 " + std::to_string(a.max_hops) +
       " 层，截至 " + Local(a.until) + "；被骗资金 " + Yuan(a.seed) + "，经 " +
       std::to_string(a.flows.size()) + " 笔转账。</p>";
  h += FlowChart(a);
  h += "<h2>三、资金现存（应止付冻结）</h2><table><tr><th>账户</th><th>金额</th><th>层级</th>"
       "<th>最早到账</th></tr>";
  for (const trace::Held& held : a.held) {
    h += "<tr><td>" + E(held.account) + "</td><td class=n>" + Yuan(held.amount) + "</td><td>" +
         std::to_string(held.hops) + "</td><td>" + Local(held.first_tainted_at) + "</td></tr>";
  }
  if (a.held.empty()) h += "<tr><td colspan=4>无</td></tr>";
  return h + "</table>";
}

// An order's status as the notices say it (已冻结), or as stored when it is not one.
std::string StatusText(const ojson& o) { return E(freeze::StatusInChinese(Str(o, "status"))); }

std::string Orders(const ojson& orders) {
  std::string h =
      "<h2>四、止付冻结</h2><table><tr><th>编号</th><th>种类</th><th>账户</th>"
      "<th>机构</th><th>请求金额</th><th>已冻结</th><th>状态</th><th>期限</th>"
      "<th>文书</th></tr>";
  for (const auto& o : orders) {
    Result<freeze::OrderKind> kind = freeze::ParseOrderKind(Str(o, "kind"));
    h += "<tr><td>" + E(Str(o, "id")) + "</td><td>" +
         (kind.ok() ? std::string(freeze::ChineseName(*kind)) : E(Str(o, "kind"))) + "</td><td>" +
         E(Str(o, "account")) + "</td><td>" + E(Str(o, "institution")) + "</td><td class=n>" +
         YuanText(o["amount"]) + "</td><td class=n>" + YuanText(o["frozen"]) + "</td><td>" +
         StatusText(o) + "</td><td>" + LocalText(o["deadline"]) + "</td><td>" +
         E(Str(o, "document")) + "</td></tr>";
  }
  if (orders.empty()) h += "<tr><td colspan=9>尚无止付冻结</td></tr>";
  return h + "</table>";
}

std::string Gang(const link::Explanation& x) {
  std::string h = "<h2>五、串并团伙</h2>";
  if (x.cluster_id.empty()) return h + "<p>本案未与其他案件串并。</p>";
  h +=
      "<p>团伙 " + E(x.cluster_id) + "，共 " + std::to_string(x.cluster_cases.size()) + " 起案件：";
  for (size_t i = 0; i < x.cluster_cases.size(); ++i) h += (i ? "、" : "") + E(x.cluster_cases[i]);
  h += "</p><table><tr><th>证据</th><th>值</th><th>涉及案件</th></tr>";
  for (size_t i = 0; i < x.evidence.size() && i < 50; ++i) {
    const link::Evidence& e = x.evidence[i];
    std::string cases;
    for (size_t k = 0; k < e.cases.size() && k < 20; ++k) cases += (k ? "、" : "") + E(e.cases[k]);
    if (e.cases.size() > 20) cases += " 等 " + std::to_string(e.cases.size()) + " 起";
    h += "<tr><td>" + E(e.kind) + "</td><td>" + E(e.value) + "</td><td>" + cases + "</td></tr>";
  }
  return h + "</table>";
}

std::string Process(const CaseProcess& p) {
  std::string h = "<h2>六、诉讼阶段与期限</h2><p>当前阶段：<b>" +
                  std::string(ChineseName(p.stage)) + "</b>（自 " + Local(p.since) + "）</p>";
  for (const Deadline& d : p.deadlines) {
    h += std::string("<p class=") +
         (d.overdue ? "warn"
          : d.soon  ? "soon"
                    : "meta") +
         ">" + E(d.what_zh) + (d.suspect.empty() ? "" : "（" + E(d.suspect) + "）") + "：" +
         Local(d.from) + " 起，应于 " + Local(d.due) + " 前完成（" + E(d.article) + "）" +
         (d.overdue ? "，已超期"
          : d.soon  ? "，即将到期"
                    : "") +
         "</p>";
  }
  if (!p.suspects.empty()) {
    h += "<table><tr><th>嫌疑人</th><th>身份标识</th><th>团伙角色</th><th>拘留时间</th></tr>";
    for (const Suspect& s : p.suspects) {
      h += "<tr><td>" + E(s.name) + "</td><td>" + E(s.identifier) + "</td><td>" +
           std::string(ChineseName(s.role)) + "</td><td>" +
           (s.detained_at ? Local(*s.detained_at) : "") + "</td></tr>";
    }
    h += "</table>";
  }
  return h;
}

// Everything that happened to the case, in time order: the report, its moves, its orders'
// steps and its audit entries.
std::string Timeline(const SummaryInput& in) {
  std::vector<std::pair<Millis, std::string>> rows;
  rows.push_back({in.c.reported_at, "报案 受案登记"});
  for (const StageMove& m : in.process.moves) {
    rows.push_back({m.at, std::string(m.back ? "退回" : "进入") + std::string(ChineseName(m.to)) +
                              "阶段（" + E(m.by) +
                              (m.document.empty() ? "" : "，文书 " + E(m.document)) +
                              (m.note.empty() ? "" : "，" + E(m.note)) + "）"});
  }
  for (const auto& o : in.orders) {
    for (const auto& e : o.value("history", ojson::array())) {
      Result<Millis> t = ParseTime(Str(e, "at"));
      if (t.ok())
        rows.push_back({*t, "指令 " + E(Str(o, "id")) + " " + E(Str(o, "account")) + "：" +
                                StatusText(e) + " " + E(Str(e, "note"))});
    }
  }
  for (const auto& e : in.audit.value("entries", ojson::array())) {
    Result<Millis> t = ParseTime(Str(e, "at"));
    if (t.ok())
      rows.push_back({*t, "审计 #" + E(Str(e, "id")) + " " + E(Str(e, "action")) + "（" +
                              E(Str(e, "user")) + "）"});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string h = "<h2>七、时间线</h2><table><tr><th>时间</th><th>事项</th></tr>";
  constexpr size_t kMaxRows = 500;
  for (size_t i = 0; i < rows.size() && i < kMaxRows; ++i)
    h += "<tr><td>" + Local(rows[i].first) + "</td><td>" + rows[i].second + "</td></tr>";
  if (rows.size() > kMaxRows)
    h += "<tr><td colspan=2>另有 " + std::to_string(rows.size() - kMaxRows) +
         " 项，见 audit.json、orders.json</td></tr>";
  return h + "</table>";
}

std::string AuditHead(const ojson& audit) {
  const ojson head = audit.value("head", ojson());
  const ojson chain = audit.value("chain", ojson());
  std::string verified =
      chain.value("verified", ojson()).is_boolean()
          ? (chain["verified"].get<bool>() ? "导出时校验通过" : "导出时校验未通过")
          : "导出时未校验（未提供审计密钥）";
  return "<h2>八、审计</h2><p>本案相关审计记录 " +
         std::to_string(audit.value("entries", ojson::array()).size()) + " 条；审计链末条 #" +
         E(Str(head, "id")) + "，哈希 <code>" + E(Str(head, "hash")) + "</code>；" + verified +
         "。各文件的 SHA-256 见 manifest.json，签名见 manifest.sig。</p>";
}

}  // namespace

std::string SummaryHtml(const SummaryInput& in) {
  std::string h = "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>案件证据材料 " +
                  E(in.c.id) + "</title>" + std::string(kStyle) + "</head><body>";
  h += "<h1>案件证据材料摘要</h1><p class=meta>案件 " + E(in.c.id) + "，导出于 " + Local(in.now) +
       "（北京时间）。本摘要据同一材料包中的文件生成，以文件为准。</p>";
  h += Facts(in) + Money(in) + Orders(in.orders) + Gang(in.links) + Process(in.process) +
       Timeline(in) + AuditHead(in.audit);
  return h + "</body></html>\n";
}

}  // namespace fanzha::casefile
