// Export(): the evidence package of one case (casefile.h).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "casefile/casefile.h"
#include "casefile/package.h"
#include "casefile/stages.h"
#include "core/csv.h"
#include "core/json.h"
#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "import/import.h"
#include "interchange/platform.h"
#include "link/from_store.h"
#include "link/json.h"

namespace fanzha::casefile {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

std::string Pretty(const ojson& j) { return DumpJson(j, 2) + "\n"; }

// A case as its cases.jsonl line (FORMATS.md): what `fanzha case add` and the importer take back.
// Identifiers as reported; the domains derived from URLs are left out (the importer derives them).
ojson CaseLine(const Case& c) {
  ojson ids = ojson::array();
  for (const Identifier& i : c.identifiers) {
    if (i.type == IdentifierType::kDomain) continue;
    ids.push_back({{"type", Name(i.type)}, {"value", i.raw}});
  }
  ojson line = {{"id", c.id},
                {"reported_at", FormatTime(c.reported_at)},
                {"region", c.region},
                {"category", c.category}};
  line["loss"] = c.loss ? ojson(FormatMoney(*c.loss)) : ojson();
  line["narrative"] = c.narrative;
  line["victim"] = {
      {"name", c.victim.name}, {"phone", c.victim.phone}, {"account", c.victim.account}};
  line["transfers"] = c.transfers;
  line["identifiers"] = ids;
  return line;
}

// A transfer as a transfers.csv row made an object (the report's "transfers").
ojson TransferRow(const Transfer& t) {
  return {{"id", t.id},
          {"time", FormatTime(t.time)},
          {"from", t.from},
          {"to", t.to},
          {"amount", FormatMoney(t.amount)},
          {"currency", t.currency},
          {"channel", Name(t.channel)},
          {"memo", t.memo},
          {"ip", t.ip},
          {"device", t.device}};
}

Result<ojson> ReportFile(store::Store& store, const Case& c) {
  ojson transfers = ojson::array();
  for (const std::string& id : c.transfers) {
    FANZHA_ASSIGN_OR_RETURN(std::optional<Transfer> t, store.GetTransfer(id));
    if (t) transfers.push_back(TransferRow(*t));
  }
  return ojson{{"case", CaseLine(c)}, {"transfers", transfers}};
}

ojson OptionsJson(const trace::Options& o) {
  ojson j = {{"policy", trace::Name(o.policy)}, {"max_hops", o.max_hops}};
  j["until"] = o.until ? ojson(FormatTime(*o.until)) : ojson();
  j["min_amount"] = FormatMoney(o.min_amount);
  return j;
}

// The trace answers, one per policy, and the accounts they reach with when money first came.
struct Traced {
  std::vector<std::pair<trace::Policy, trace::Answer>> answers;
  std::map<std::string, Millis> reached;  // account -> earliest arrival of the case's money
  Millis until = 0;
};

Result<Traced> TraceAll(const Case& c, const ExportOptions& options) {
  Traced traced;
  if (c.transfers.empty() || !options.tracer) return traced;
  for (trace::Policy p : options.policies) {
    trace::Options o = options.trace;
    o.policy = p;
    FANZHA_ASSIGN_OR_RETURN(trace::Answer a, options.tracer(c, o));
    for (const trace::Flow& f : a.flows) {
      for (const std::string& account : {f.from, f.to}) {
        if (account.empty()) continue;
        auto [it, fresh] = traced.reached.emplace(account, f.time);
        if (!fresh) it->second = std::min(it->second, f.time);
      }
    }
    traced.until = std::max(traced.until, a.until);
    traced.answers.emplace_back(p, std::move(a));
  }
  return traced;
}

void AddTraceFiles(const Case& c, const ExportOptions& options, const Traced& traced,
                   Files* files) {
  for (const auto& [policy, answer] : traced.answers) {
    trace::Options o = options.trace;
    o.policy = policy;
    o.until = answer.until;
    ojson j = {{"options", OptionsJson(o)}};
    const ojson traced_json = trace::ToJson(answer, c.id);
    for (const auto& [k, v] : traced_json.items()) j[k] = v;
    files->Add("trace/" + std::string(trace::Name(policy)) + ".json", Pretty(j));
  }
}

// The postings the banks sent of every account the money reached, from its arrival on.
Result<std::string> PostingsCsv(store::Store& store, const Traced& traced) {
  std::string csv;
  AppendCsvRow(&csv, {"account", "serial", "side", "time", "amount", "currency", "transfer"});
  for (const auto& [account, since] : traced.reached) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<import::StoredPosting> postings,
                            import::PostingsOf(store, account, since, traced.until + 1));
    for (const import::StoredPosting& p : postings) {
      AppendCsvRow(&csv, {p.account, p.serial, p.credit ? "in" : "out", FormatTime(p.time),
                          FormatMoney(p.amount), p.currency, p.transfer_id});
    }
  }
  return csv;
}

Result<std::vector<interchange::StatementQuery>> QueriesOf(store::Store& store, const Case& c,
                                                           const Traced& traced) {
  std::vector<std::string> accounts;
  for (const auto& [account, since] : traced.reached) accounts.push_back(account);
  FANZHA_ASSIGN_OR_RETURN(auto per_account,
                          interchange::ListStatementQueries(store.sql(), accounts));
  std::vector<interchange::StatementQuery> mine;
  for (auto& queries : per_account) {
    for (auto& q : queries) {
      if (q.case_id == c.id) mine.push_back(std::move(q));
    }
  }
  std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return mine;
}

ojson ExchangeJson(const interchange::Exchange& e) {
  ojson j = interchange::ToJson(e.row);
  j["body"] = e.body;
  j["answer"] = e.answer;
  return j;
}

Status AddStatementFiles(store::Store& store, const Case& c, const Traced& traced,
                         const std::vector<freeze::Order>& orders, Files* files) {
  FANZHA_ASSIGN_OR_RETURN(std::string postings, PostingsCsv(store, traced));
  files->Add("statements/postings.csv", postings);
  FANZHA_ASSIGN_OR_RETURN(auto queries, QueriesOf(store, c, traced));
  ojson list = ojson::array();
  std::vector<int64_t> query_ids, order_ids;
  for (const auto& q : queries) {
    list.push_back(interchange::ToJson(q));
    query_ids.push_back(q.id);
  }
  files->Add("statements/queries.json", Pretty(list));
  for (const freeze::Order& o : orders) order_ids.push_back(o.id);
  FANZHA_ASSIGN_OR_RETURN(auto exchanges,
                          interchange::ExchangesOf(store.sql(), order_ids, query_ids));
  std::string jsonl;
  for (const auto& e : exchanges) jsonl += DumpJson(ExchangeJson(e)) + "\n";
  files->Add("statements/exchanges.jsonl", jsonl);
  return Status::Ok();
}

Result<ojson> OrdersFile(store::Store& store, const std::vector<freeze::Order>& orders) {
  freeze::OrderBook book(store.sql());
  ojson list = ojson::array();
  for (const freeze::Order& o : orders) {
    ojson j = freeze::ToJson(o);
    FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Event> history, book.History(o.id));
    FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Renewal> renewals, book.Renewals(o.id));
    j["history"] = ojson::array();
    for (const auto& e : history) j["history"].push_back(freeze::ToJson(e));
    j["renewal_history"] = ojson::array();
    for (const auto& r : renewals) j["renewal_history"].push_back(freeze::ToJson(r));
    list.push_back(std::move(j));
  }
  return list;
}

// The link evidence of the case, from the stored clusters (linking first what is not linked yet,
// as `fanzha link` does, with the export's tracer).
Result<link::Explanation> LinksOf(store::Store& store, const Case& c, const ExportOptions& options,
                                  Millis now) {
  link::StoreLinkOptions so;
  if (options.tracer) {
    so.tracer = [&](const Case& k) { return options.tracer(k, so.trace); };
  } else {
    so.money = false;
  }
  FANZHA_ASSIGN_OR_RETURN(link::StoreLinkResult linked,
                          link::UpdateStoredLinks(store, so, false, now, nullptr));
  return linked.linker.Explain(c.id);
}

Result<ojson> LeadsFile(store::Store& store, const Case& c, Millis now,
                        std::vector<int64_t>* lead_ids) {
  dispatch::LeadBook book(store.sql());
  dispatch::LeadFilter filter;
  filter.case_id = c.id;
  FANZHA_ASSIGN_OR_RETURN(std::vector<dispatch::StoredLead> leads, book.List(filter, now));
  ojson list = ojson::array();
  for (const auto& l : leads) {
    list.push_back(dispatch::ToJson(l));
    lead_ids->push_back(l.id);
  }
  return list;
}

// Whether an audit entry is about the case: it names the case, one of its orders or its leads.
bool AboutCase(const audit::Entry& e, const std::string& case_id,
               const std::set<std::string>& orders, const std::set<std::string>& leads) {
  if (e.target == case_id) return true;
  if (orders.count(e.target)) return true;
  return e.action.rfind("lead.", 0) == 0 && leads.count(e.target);
}

Result<ojson> AuditFile(store::Store& store, const Case& c,
                        const std::vector<freeze::Order>& orders,
                        const std::vector<int64_t>& lead_ids, const audit::Key* key,
                        int64_t* count) {
  std::set<std::string> order_targets, lead_targets;
  for (const auto& o : orders) order_targets.insert("order " + std::to_string(o.id));
  for (int64_t id : lead_ids) {
    lead_targets.insert(std::to_string(id));
    lead_targets.insert("lead " + std::to_string(id));
  }
  audit::AuditLog log = key ? audit::AuditLog(store.sql(), *key) : audit::AuditLog(store.sql());
  FANZHA_ASSIGN_OR_RETURN(std::vector<audit::Entry> all, log.List(0, 0));
  ojson entries = ojson::array();
  for (const audit::Entry& e : all) {
    if (!AboutCase(e, c.id, order_targets, lead_targets)) continue;
    ojson j = audit::ToJson(e);
    j["prev_hash"] = e.prev_hash;
    entries.push_back(std::move(j));
  }
  *count = static_cast<int64_t>(entries.size());
  ojson doc = {{"entries", entries}};
  doc["head"] = all.empty() ? ojson() : ojson{{"id", all.back().id}, {"hash", all.back().hash}};
  if (key) {
    FANZHA_ASSIGN_OR_RETURN(audit::Verification v, log.Verify());
    doc["chain"] = {{"verified", v.ok}, {"entries", v.entries}, {"message", v.message}};
  } else {
    doc["chain"] = {{"verified", nullptr}, {"message", "not verified: no audit key was given"}};
  }
  return doc;
}

// Makes `out` (refusing one that holds anything) by way of a sibling folder renamed into place.
Status RefuseBusyFolder(const std::string& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    return Status(ErrorCode::kConflict, out + ": exists and is not empty; give a new folder")
        .WithZh(out + "：已存在且非空，请指定新的文件夹");
  }
  return Status::Ok();
}

Status WriteFolder(const std::string& out,
                   const std::vector<std::pair<std::string, std::string>>& files) {
  FANZHA_RETURN_IF_ERROR(RefuseBusyFolder(out));
  std::error_code ec;
  const fs::path target = fs::absolute(out);
  const fs::path partial = target.string() + ".partial-" + std::to_string(::getpid());
  fs::remove_all(partial, ec);
  Status written = WriteFiles(partial.string(), files);
  if (written.ok()) {
    fs::remove(target, ec);  // an empty folder, or nothing
    fs::rename(partial, target, ec);
    if (ec)
      written = Status::Io(out + ": cannot be made: " + ec.message())
                    .WithZh(out + "：无法创建（" + ec.message() + "）");
  }
  if (!written.ok()) fs::remove_all(partial, ec);
  return written;
}

}  // namespace

Result<Package> Pack(store::Store& store, const ExportOptions& options, const SigningKey& key,
                     Millis now) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> found, store.GetCase(options.case_id));
  if (!found) {
    return Status::NotFound("no case " + options.case_id).WithZh("没有案件 " + options.case_id);
  }
  const Case& c = *found;
  Files files;
  Exported done;
  FANZHA_ASSIGN_OR_RETURN(ojson report, ReportFile(store, c));
  files.Add("report.json", Pretty(report));
  FANZHA_ASSIGN_OR_RETURN(Traced traced, TraceAll(c, options));
  AddTraceFiles(c, options, traced, &files);
  for (const auto& [p, a] : traced.answers)
    done.trace_flows = std::max<int64_t>(done.trace_flows, static_cast<int64_t>(a.flows.size()));
  freeze::OrderFilter filter;
  filter.case_id = c.id;
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> orders,
                          freeze::OrderBook(store.sql()).List(filter));
  FANZHA_RETURN_IF_ERROR(AddStatementFiles(store, c, traced, orders, &files));
  FANZHA_ASSIGN_OR_RETURN(ojson order_list, OrdersFile(store, orders));
  files.Add("orders.json", Pretty(order_list));
  FANZHA_ASSIGN_OR_RETURN(link::Explanation links, LinksOf(store, c, options, now));
  done.linked_cases = static_cast<int64_t>(links.cluster_cases.size());
  files.Add("links.json", Pretty(link::ToJson(links)));
  std::vector<int64_t> lead_ids;
  FANZHA_ASSIGN_OR_RETURN(ojson leads, LeadsFile(store, c, now, &lead_ids));
  files.Add("leads.json", Pretty(leads));
  FANZHA_ASSIGN_OR_RETURN(CaseProcess process, StageBook(store).Process(c.id, now));
  files.Add("stages.json", Pretty(ToJson(process)));
  FANZHA_ASSIGN_OR_RETURN(ojson audit_doc, AuditFile(store, c, orders, lead_ids, options.audit_key,
                                                     &done.audit_entries));
  files.Add("audit.json", Pretty(audit_doc));
  SummaryInput summary{
      c,          traced.answers.empty() ? nullptr : &traced.answers.front().second,
      order_list, links,
      process,    audit_doc,
      now};
  std::string html = SummaryHtml(summary);
  if (options.render_pdf) {
    FANZHA_ASSIGN_OR_RETURN(std::string pdf, options.render_pdf(html));
    files.Add("summary.pdf", std::move(pdf));
  }
  files.Add("summary.html", std::move(html));
  done.files = files.Sign(c.id, options.exported_by, now, key);
  done.signing_key = key.public_hex();
  return Package{files.Take(), std::move(done)};
}

Result<Exported> Export(store::Store& store, const ExportOptions& options, const SigningKey& key,
                        Millis now) {
  FANZHA_RETURN_IF_ERROR(RefuseBusyFolder(options.out));
  FANZHA_ASSIGN_OR_RETURN(Package package, Pack(store, options, key, now));
  FANZHA_RETURN_IF_ERROR(WriteFolder(options.out, package.files));
  package.facts.dir = options.out;
  return package.facts;
}

}  // namespace fanzha::casefile
