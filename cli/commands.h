// Each `fanzha` subcommand lives in its own file cli/<command>.cc and registers itself on the app
// through one of these functions, called from main.cc. The commands are thin: they parse options,
// call the libraries, and print text or JSON.
#pragma once

#include <CLI/CLI.hpp>
#include <csignal>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "audit/audit.h"
#include "core/lang.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::cli {

// The language of what the command line writes for people: --lang (any command), else the
// environment (LangOfEnvironment: FANZHA_LANG, LC_ALL, LC_MESSAGES, LANG), else both, Chinese
// first. JSON output is the same in every language.
Lang OutputLang();
void SetOutputLang(Lang lang);
// Prints `en` or `zh` as OutputLang() says (both on two lines, Chinese first), with a newline.
void Tell(const std::string& en, const std::string& zh);
// A help text (a command's or an option's description, a footer of examples) in the language of
// OutputLang(), which main() settles from --lang and the environment before any command registers:
// Help("the store: a SQLite file", "数据库：SQLite 文件"). Both on two lines, Chinese first.
std::string Help(const std::string& en, const std::string& zh);

// A region as every table shows it, code then name: "440100 广州市" (the code alone when the
// built-in table does not know it).
std::string RegionText(const std::string& code);
// A time for people: China time to the second, "2020-02-08 10:00:00" (JSON keeps RFC 3339).
std::string ShownTime(Millis t);

// Display columns of UTF-8 `s` in a terminal: Chinese characters and full-width punctuation take
// two, so that a table lines up in either language.
size_t ShownWidth(std::string_view s);
// `s` padded with spaces to `width` columns, on the right (left-aligned text) or, left_aligned
// false, on the left (numbers). Longer text is left as it is.
std::string Pad(std::string s, size_t width, bool left_aligned = true);

// Options every command that touches the store shares.
struct StoreOptions {
  std::string db = "fanzha.db";
  // Make the store when the file does not exist. Off for every command but those that fill a
  // store (import): a mistyped --db is then an error naming it, not a new empty store that answers
  // "no such case".
  bool create = false;
};
// --db, and --create unless the command makes a missing store anyway (`creates`: import).
void AddDbOption(CLI::App* cmd, StoreOptions* opts, bool creates = false);
// The audit log's key file and head file (audit/audit.h): --audit-key and --audit-heads, else
// FANZHA_AUDIT_KEY and FANZHA_AUDIT_HEADS, else beside the store (cli/audit.cc).
struct AuditFileOptions {
  std::string key, heads;
};
void AddAuditFileOptions(CLI::App* cmd, AuditFileOptions* opts);
// The files to use for the store at `db`.
AuditFileOptions AuditFilesFor(const StoreOptions& store, const AuditFileOptions& given);
// Opens the store named by --db (created when missing); exits with a clear message on failure.
std::unique_ptr<store::Store> OpenStoreOrExit(const StoreOptions& opts);

// Who changes the store from the command line: the operating-system user running `fanzha` (its
// login name, "uid N" when it has none), audited with the role kCommandLineRole.
std::string CommandLineUser();
inline constexpr const char* kCommandLineRole = "command-line";

// A store a command changes, with its audit chain (the key and head files of --audit-key and
// --audit-heads): every change goes through Change(), which commits it with its audit entry (user
// CommandLineUser()) in one transaction (app::AuditedChange) and publishes the chain's new head.
class AuditedStore {
 public:
  // Exits with a clear message when the store, the key or the head file cannot be opened.
  static AuditedStore OpenOrExit(const StoreOptions& store, const AuditFileOptions& files);
  store::Store& store() { return *store_; }
  // `entry` names the action, target, reason and detail (`change` may complete it). Exits on error,
  // with nothing stored.
  void Change(audit::Entry entry, const std::function<Status(audit::Entry&)>& change);
  // Marks lapsed freeze orders expired, each audited (app::SweepLapsed), and says so on stderr:
  // every freeze and return command does it first, so that what it shows is true now.
  void SweepLapsed();
  // Appends `entry` in the transaction the caller has open (an import's commit:
  // import::Options::on_commit), so that the change and its entry commit together or not at all.
  // Call PublishHead() once that transaction has committed.
  Status AppendInOpenTransaction(audit::Entry entry);
  void PublishHead();
  // Publishes `head`, an entry appended with key() by a change made elsewhere (a federated walk).
  void PublishHead(const audit::Entry& head);
  const audit::Key& key() const { return key_; }

 private:
  AuditedStore(std::unique_ptr<store::Store> store, audit::Key key, audit::HeadFile heads)
      : store_(std::move(store)), key_(std::move(key)), heads_(std::move(heads)) {}
  std::unique_ptr<store::Store> store_;
  audit::Key key_;
  audit::HeadFile heads_;
  audit::Entry appended_;  // the newest entry AppendInOpenTransaction wrote (id 0: none)
};

// Prints a failed Status as "fanzha: <message>" on stderr and returns its exit code.
int Fail(const Status& status);
// For use inside a command's callback: on error prints it and ends the process with its exit code
// (by throwing CLI::RuntimeError, which main() turns into the exit code).
inline void ExitOnError(const Status& status) {
  if (!status.ok()) throw CLI::RuntimeError(Fail(status));
}
// The value of a parsed option, or an exit naming the option: ValueOrExit(ParseMoney(x),
// "--amount").
template <typename T>
T ValueOrExit(Result<T> result, const std::string& option) {
  ExitOnError(result.status().WithContext(option));
  return std::move(result).value();
}
// The value, or an exit with the error as it is (an error that is not about one option).
template <typename T>
T ValueOrExit(Result<T> result) {
  ExitOnError(result.status());
  return std::move(result).value();
}
// Options that name a region or a case go through the same checks as the importer and the server's
// report intake (region::CheckCode, CheckCaseId): on failure the message (both languages) names the
// option, and the process exits with the invalid-input code. An empty value passes (not given).
void CheckRegionOption(const std::string& code, const std::string& option);
void CheckCaseOption(const std::string& id, const std::string& option);

// Writes a JSON document to stdout, one line per document, keys in insertion order.
void PrintJson(const nlohmann::ordered_json& doc);

// SIGINT and SIGTERM, the signals that stop a serving command: block them before any thread
// starts (pthread_sigmask), then take them with sigwait().
sigset_t StopSignals();

// Each defined in cli/<command>.cc; add a declaration here and a call in main.cc.
void RegisterGen(CLI::App& app);
void RegisterImport(CLI::App& app);
void RegisterCase(CLI::App& app);  // cli/case.cc: one reported case, as POST /api/cases
// cli/casefile.cc: `case export|verify|key|move|suspect|process`, under `case`
void RegisterCaseFile(CLI::App* case_command);
// fanzha case queue|assign|note|attach|attachment|timeline (casework.cc).
void RegisterCaseWork(CLI::App* case_command);
void RegisterStats(CLI::App& app);
void RegisterSearch(CLI::App& app);  // cli/search.cc: one box for any identifier (app/search.h)
void RegisterNotifications(CLI::App& app);  // cli/notify.cc: what a user should act on now
void RegisterProfile(CLI::App& app);  // cli/search.cc: one identifier or account (app/profile.h)
void RegisterTrace(CLI::App& app);
void RegisterReach(CLI::App& app);   // cli/reach.cc: the `poison` reach of cases, with CPU time
void RegisterFreeze(CLI::App& app);  // and `fanzha return`
void RegisterReturn(CLI::App& app);
void RegisterLink(CLI::App& app);
void RegisterWarn(CLI::App& app);      // and `warn list|queue|outcome`
void RegisterDispatch(CLI::App& app);  // cli/dispatch.cc
void RegisterLeads(CLI::App& app);     // cli/dispatch.cc: `leads` and `leads feedback`
void RegisterTakedown(CLI::App& app);  // and `takedown move`
void RegisterReport(CLI::App& app);    // `report daily|advisories`

void RegisterServe(CLI::App& app);        // cli/serve.cc: the HTTP API
void RegisterBank(CLI::App& app);         // cli/bank.cc: `bank serve|holds`, a bank node
void RegisterInterchange(CLI::App& app);  // cli/interchange.cc: statement queries, requests, faults
void RegisterUser(CLI::App& app);         // cli/user.cc: `user add|disable|enable|revoke`
void RegisterAudit(CLI::App& app);        // cli/audit.cc: `audit list|verify`

}  // namespace fanzha::cli
