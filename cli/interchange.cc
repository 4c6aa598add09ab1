// fanzha interchange: statement queries to the banks and the state of the interchange.
#include <cstdio>
#include <functional>
#include <map>

#include "cli/commands.h"
#include "interchange/platform.h"

namespace fanzha::cli {
namespace {

using json = nlohmann::ordered_json;

struct QueryOptions {
  StoreOptions store;
  interchange::StatementQuery query;
  std::string from, to;
  int64_t order = 0;
  int limit = 50;
  bool json = false;
};

void RunStatement(QueryOptions o) {
  o.query.from = ValueOrExit(ParseTime(o.from), "--from");
  o.query.to = ValueOrExit(ParseTime(o.to), "--to");
  auto store = OpenStoreOrExit(o.store);
  if (o.query.holder.empty()) {
    auto a = store->GetAccount(o.query.account);
    ExitOnError(a.status());
    if (*a) o.query.holder = (*a)->holder;
  }
  auto asked = interchange::AskStatement(store->sql(), o.query, SystemClock().Now());
  ExitOnError(asked.status());
  if (o.json) return PrintJson(interchange::ToJson(*asked));
  const std::string id = std::to_string(asked->id);
  Tell("statement query " + id + " queued; a server with --nats sends it to " + asked->institution +
           " and imports the answer",
       "明细查询 " + id + " 已排队；带 --nats 的服务会将其发送给 " + asked->institution +
           "，并导入银行的答复");
}

// A request's kind or status as the user reads it; the code itself when it has no Chinese name.
std::string WordIn(Lang lang, const std::string& code) {
  static const std::map<std::string, const char*, std::less<>> kChinese = {
      {"stop_payment", "止付"}, {"freeze", "冻结"},        {"renewal", "续冻"},
      {"release", "解冻"},      {"statement", "明细查询"}, {"queued", "排队中"},
      {"published", "已发出"},  {"pending", "银行处理中"}, {"executed", "已执行"},
      {"rejected", "被拒绝"},   {"unapplied", "未能处理"}, {"unsendable", "无法发送"}};
  auto it = kChinese.find(code);
  return it == kChinese.end() ? code : SayInline(lang, code, it->second);
}

void RunRequests(const QueryOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto rows = interchange::ListRequests(store->sql(), o.order, o.limit);
  ExitOnError(rows.status());
  if (o.json) {
    json arr = json::array();
    for (const auto& r : *rows) arr.push_back(interchange::ToJson(r));
    return PrintJson({{"requests", arr}});
  }
  const Lang lang = OutputLang();
  if (rows->empty()) return Tell("no interchange requests", "没有发往银行的请求");
  for (const auto& r : *rows) {
    const std::string line = Pad(r.id, 36) + " " + Pad(WordIn(lang, r.kind), 12) + " " +
                             Pad(WordIn(lang, r.status), 10) + " " + Pad(r.institution, 14) + " " +
                             Pad(std::to_string(r.bank_ms), 6, false) + " ms  " + r.last_error;
    std::printf("%s\n", line.c_str());
  }
}

void RunFaults(const QueryOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto faults = interchange::ListFaults(store->sql(), o.limit);
  ExitOnError(faults.status());
  if (o.json) {
    json arr = json::array();
    for (const auto& f : *faults) {
      arr.push_back({{"id", f.id},
                     {"at", FormatTime(f.at)},
                     {"subject", f.subject},
                     {"request", f.msg_id},
                     {"reason", f.reason},
                     {"excerpt", f.excerpt}});
    }
    return PrintJson({{"faults", arr}});
  }
  if (faults->empty()) return Tell("no faulty answers", "没有未能处理的银行答复");
  for (const auto& f : *faults) {
    std::printf("%s %s %s: %s\n", ShownTime(f.at).c_str(), f.subject.c_str(), f.msg_id.c_str(),
                f.reason.c_str());
  }
}

}  // namespace

void RegisterInterchange(CLI::App& app) {
  CLI::App* ic = app.add_subcommand(
      "interchange",
      Help("The bank interchange seen from the platform (docs/spec/INTERCHANGE.md): statement "
           "queries\n"
           "(明细查询), the requests sent and their answers, answers that could not be applied.\n\n"
           "Examples:\n"
           "  fanzha interchange statement --account 6222021234567890123 --institution "
           "中国工商银行 \\\n"
           "      --from 2020-02-01 --to 2020-02-09 --case HZ-20200208-0001 --document "
           "'杭公反诈查〔2020〕7号'\n"
           "  fanzha interchange requests --order 12\n"
           "  fanzha interchange faults",
           "平台一侧所见的银行数据交换（docs/spec/INTERCHANGE.md）：明细查询、\n"
           "已发出的请求及银行答复、未能处理的答复。\n\n"
           "示例：\n"
           "  fanzha interchange statement --account 6222021234567890123 --institution "
           "中国工商银行 \\\n"
           "      --from 2020-02-01 --to 2020-02-09 --case HZ-20200208-0001 --document "
           "'杭公反诈查〔2020〕7号'\n"
           "  fanzha interchange requests --order 12\n"
           "  fanzha interchange faults"));
  ic->require_subcommand(1);
  {
    auto o = std::make_shared<QueryOptions>();
    CLI::App* cmd = ic->add_subcommand(
        "statement", Help("queue a statement query: an account's postings in a time window",
                          "提交明细查询（进入发送队列）：账户在某一时段内的流水"));
    AddDbOption(cmd, &o->store);
    cmd->add_option("--account", o->query.account, Help("the account", "账户"))->required();
    cmd->add_option("--institution", o->query.institution,
                    Help("the institution that holds it", "开户机构"))
        ->required();
    cmd->add_option("--from", o->from,
                    Help("the window's start (RFC 3339 or a date)", "起始时间（RFC 3339 或日期）"))
        ->required();
    cmd->add_option("--to", o->to, Help("the window's end, not included", "截止时间（不含）"))
        ->required();
    cmd->add_option("--case", o->query.case_id, Help("the case it serves", "所属案件"));
    cmd->add_option(
        "--holder", o->query.holder,
        Help("the holder's name (default: as the store knows it)", "户名（默认：取数据库中所记）"));
    cmd->add_option("--document", o->query.mandate.document,
                    Help("the document's number (协查文书文号)", "协查文书文号"))
        ->required();
    cmd->add_option("--by", o->query.mandate.requested_by, Help("who asks", "查询人"));
    cmd->add_option("--unit", o->query.mandate.unit,
                    Help("their unit (GB/T 2260 code)", "查询人所在单位（GB/T 2260 代码）"));
    cmd->add_flag("--json", o->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([o] { RunStatement(*o); });
  }
  for (bool faults : {false, true}) {
    auto o = std::make_shared<QueryOptions>();
    CLI::App* cmd =
        ic->add_subcommand(faults ? "faults" : "requests",
                           faults ? Help("answers that could not be applied, newest first",
                                         "未能处理的银行答复，最新的在前")
                                  : Help("requests sent to banks and their state, newest first",
                                         "发往银行的请求及其状态，最新的在前"));
    AddDbOption(cmd, &o->store);
    if (!faults) {
      cmd->add_option("--order", o->order,
                      Help("only this order's requests", "只列出此指令的请求"));
    }
    cmd->add_option("--limit", o->limit, Help("at most this many", "最多列出条数"))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([o, faults] { faults ? RunFaults(*o) : RunRequests(*o); });
  }
}

}  // namespace fanzha::cli
