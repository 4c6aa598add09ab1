#include "store/schema.h"

#include <array>

namespace fanzha::store {
namespace {

// Channel codes in transfers.channel: 0 transfer, 1 withdrawal, 2 deposit, 3 purchase.
// accounts.declared: 0 for a placeholder created because a transfer named the account.
// accounts.attributes: "" or a JSON array of [name, value] pairs in file order.
constexpr std::string_view kCoreTables = R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL UNIQUE,
  declared INTEGER NOT NULL,
  holder TEXT NOT NULL,
  institution TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  opening_balance BIGINT NOT NULL,
  attributes TEXT NOT NULL
);
CREATE TABLE transfers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time BIGINT NOT NULL,
  from_account INTEGER,
  to_account INTEGER,
  amount BIGINT NOT NULL,
  channel INTEGER NOT NULL,
  memo TEXT NOT NULL,
  ip TEXT NOT NULL,
  device TEXT NOT NULL
);
CREATE TABLE cases (
  id TEXT NOT NULL PRIMARY KEY,
  reported_at BIGINT NOT NULL,
  region TEXT NOT NULL,
  category TEXT NOT NULL,
  loss BIGINT,
  narrative TEXT NOT NULL,
  victim_name TEXT NOT NULL,
  victim_phone TEXT NOT NULL,
  victim_account TEXT NOT NULL
);
CREATE TABLE case_identifiers (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  raw TEXT NOT NULL,
  value TEXT NOT NULL,
  valid INTEGER NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_identifiers_by_value ON case_identifiers (type, value);
CREATE TABLE case_transfers (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  transfer_id TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_transfers_by_transfer ON case_transfers (transfer_id);
)sql";

// Bank statement rows as the banks returned them (provenance of statement transfers). side: 1 out
// (debit), 2 in (credit). transfer_id: the transfer this posting became or was merged into.
constexpr std::string_view kStatementPostings = R"sql(
CREATE TABLE statement_postings (
  account TEXT NOT NULL,
  serial TEXT NOT NULL,
  side INTEGER NOT NULL,
  time BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  balance BIGINT,
  counterparty TEXT NOT NULL,
  counterparty_name TEXT NOT NULL,
  counterparty_bank TEXT NOT NULL,
  memo TEXT NOT NULL,
  ip TEXT NOT NULL,
  mac TEXT NOT NULL,
  attributes TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (account, serial)
);
CREATE INDEX statement_postings_by_transfer ON statement_postings (transfer_id);
)sql";

// Freeze orders (TRACING.md "Freeze plan and freeze orders"): one per (case, account), with its
// lifecycle; every change of status is kept in freeze_order_events.
constexpr std::string_view kFreezeOrders = R"sql(
CREATE TABLE freeze_orders (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  institution TEXT NOT NULL,
  amount_requested BIGINT NOT NULL,
  amount_frozen BIGINT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  policy TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (case_id, account)
);
CREATE INDEX freeze_orders_by_institution ON freeze_orders (institution, status);
CREATE INDEX freeze_orders_by_account ON freeze_orders (account);
CREATE TABLE freeze_order_events (
  order_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  amount BIGINT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (order_id, seq)
);
)sql";

// Early warning (warn/store_io.h): watchlist entries, warnings (latest revision) and outcomes.
constexpr std::string_view kWarnTables = R"sql(
CREATE TABLE warn_entries (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  source TEXT NOT NULL,
  category TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  cases INTEGER NOT NULL,
  hub INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE TABLE warnings (
  id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  person TEXT NOT NULL,
  region TEXT NOT NULL,
  score INTEGER NOT NULL,
  category TEXT NOT NULL,
  first_event_at BIGINT NOT NULL,
  last_event_at BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  paid BIGINT NOT NULL,
  body TEXT NOT NULL,
  written_at BIGINT NOT NULL
);
CREATE INDEX warnings_by_region ON warnings (region, score);
CREATE TABLE warning_outcomes (
  warning_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  saved BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (warning_id, seq)
);
)sql";

// Leads (dispatch/dispatch.h): one row per lead with its latest content (body, JSON) and feedback;
// lead_cases maps each case to the lead that carries it; batches are numbered per jurisdiction and
// list what each carried; lead_events keep every push, update and feedback. Takedown requests
// (takedown/takedown.h): one per (kind, value), with the platform that can act on it.
constexpr std::string_view kDispatchTables = R"sql(
CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  revision INTEGER NOT NULL,
  batch_id BIGINT NOT NULL,
  pushed_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  arrests BIGINT NOT NULL,
  solved BIGINT NOT NULL,
  recovered BIGINT NOT NULL,
  reason TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX leads_by_jurisdiction ON leads (jurisdiction, status);
CREATE TABLE lead_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  lead_id BIGINT NOT NULL
);
CREATE INDEX lead_cases_by_lead ON lead_cases (lead_id);
CREATE TABLE lead_batches (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  number BIGINT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (jurisdiction, number)
);
CREATE TABLE lead_batch_items (
  batch_id BIGINT NOT NULL,
  lead_id BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (batch_id, lead_id)
);
CREATE TABLE lead_events (
  lead_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (lead_id, seq)
);
CREATE TABLE takedowns (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  platform TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  lead_id BIGINT NOT NULL,
  cases TEXT NOT NULL,
  category TEXT NOT NULL,
  region TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX takedowns_by_platform ON takedowns (platform, status);
)sql";

constexpr std::string_view kAuthAuditTables = R"sql(
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  region TEXT NOT NULL,
  institution TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)sql";

// Append new migrations at the end; never edit a released one.
// Linking (link/from_store.h): each case's cluster (the smallest case id in it) and whether its
// money was traced; link_money keeps each traced case's reach (account '' when it reached nothing)
// so that later runs never trace a case twice.
constexpr std::string_view kLinkTables = R"sql(
CREATE TABLE link_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  cluster TEXT NOT NULL,
  money INTEGER NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE INDEX link_cases_by_cluster ON link_cases (cluster);
CREATE TABLE link_money (
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  fen BIGINT NOT NULL,
  seed_fen BIGINT NOT NULL,
  PRIMARY KEY (case_id, account)
);
)sql";

// Currencies (ISO 4217) of transfers and statement postings, for statements in other currencies
// (ISO 20022 camt statements carry any); everything stored before is in yuan.
constexpr std::string_view kCurrencies = R"sql(
ALTER TABLE transfers ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE statement_postings ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
)sql";

// Users that are disabled (fanzha user disable) keep their row; their sessions are deleted, found
// by user. Audit entries say whether their hash is keyed: those from before the key are not.
constexpr std::string_view kAuthAuditKeyed = R"sql(
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE INDEX sessions_by_user ON sessions (user_name);
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
)sql";

// Imports in bounded transactions (store.h, "Imports"): the records' tables become *_rows, each
// row carrying the import that wrote it; a view with the old name shows the rows of finished
// imports only, so every reader keeps its queries. pending_imports lists the imports still being
// written (or killed and not yet cleaned); import ids come from fanzha_meta and are never reused.
// account_fills holds placeholders an import declares, applied when it finishes.
constexpr std::string_view kImportBatches = R"sql(
CREATE TABLE pending_imports (
  id BIGINT NOT NULL PRIMARY KEY,
  transfers BIGINT NOT NULL
);
INSERT INTO fanzha_meta (key, value) VALUES ('last_import_id', '0');
CREATE TABLE account_fills (
  import_id BIGINT NOT NULL,
  account_key BIGINT NOT NULL,
  holder TEXT NOT NULL,
  institution TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  opening_balance BIGINT NOT NULL,
  attributes TEXT NOT NULL,
  PRIMARY KEY (import_id, account_key)
);
ALTER TABLE accounts RENAME TO account_rows;
ALTER TABLE account_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW accounts AS SELECT id, account, declared, holder, institution, region, kind,
  opening_balance, attributes FROM account_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
ALTER TABLE transfers RENAME TO transfer_rows;
ALTER TABLE transfer_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW transfers AS SELECT seq, id, time, from_account, to_account, amount, channel, memo, ip,
  device, currency FROM transfer_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
ALTER TABLE cases RENAME TO case_rows;
ALTER TABLE case_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW cases AS SELECT id, reported_at, region, category, loss, narrative, victim_name,
  victim_phone, victim_account FROM case_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
ALTER TABLE case_identifiers RENAME TO case_identifier_rows;
ALTER TABLE case_identifier_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW case_identifiers AS SELECT case_id, seq, type, raw, value, valid
  FROM case_identifier_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
ALTER TABLE case_transfers RENAME TO case_transfer_rows;
ALTER TABLE case_transfer_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW case_transfers AS SELECT case_id, seq, transfer_id FROM case_transfer_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
ALTER TABLE statement_postings RENAME TO statement_posting_rows;
ALTER TABLE statement_posting_rows ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE VIEW statement_postings AS SELECT account, serial, side, time, amount, balance, counterparty,
  counterparty_name, counterparty_bank, memo, ip, mac, attributes, transfer_id, source, currency
  FROM statement_posting_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
)sql";

// Orders as the law has them (freeze/orders.h): stop-payment, freeze and release orders with who
// asked, on which document, the four facts a bank checks, and the legal clocks (executed_at,
// deadline_at: 0 while no clock runs, renewals). The table is rebuilt because an account may now
// have a stop-payment, a freeze and releases of the same case (UNIQUE per kind, and per released
// order). Orders made before are freezes; those executed keep their last move as their execution,
// and Sweep() gives them the law's deadline from it. freeze_renewals keeps each renewal asked for;
// freeze_returns and freeze_return_events each return of frozen money and its steps (2016 rules:
// a pro-rata return waits for a 30-day public notice).
constexpr std::string_view kOrdersAsTheLawHasThem = R"sql(
CREATE TABLE freeze_orders_v2 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  institution TEXT NOT NULL,
  holder TEXT NOT NULL,
  payment_transfer TEXT NOT NULL,
  payment_amount BIGINT NOT NULL,
  payment_time BIGINT NOT NULL,
  amount_requested BIGINT NOT NULL,
  amount_frozen BIGINT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  policy TEXT NOT NULL,
  document TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  unit TEXT NOT NULL,
  releases BIGINT NOT NULL,
  released_by BIGINT NOT NULL,
  executed_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  renewals INTEGER NOT NULL,
  expired_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (case_id, account, kind, releases)
);
INSERT INTO freeze_orders_v2 (id, kind, case_id, account, institution, holder, payment_transfer,
  payment_amount, payment_time, amount_requested, amount_frozen, status, reason, policy, document,
  requested_by, unit, releases, released_by, executed_at, deadline_at, renewals, expired_at,
  created_at, updated_at)
SELECT id, 'freeze', case_id, account, institution, '', '', 0, 0, amount_requested, amount_frozen,
  status, reason, policy, '', '', '', 0, 0,
  CASE WHEN status IN ('executed', 'released', 'returned') THEN updated_at ELSE 0 END, 0, 0,
  CASE WHEN status = 'expired' THEN updated_at ELSE 0 END, created_at, updated_at
FROM freeze_orders;
DROP TABLE freeze_orders;
ALTER TABLE freeze_orders_v2 RENAME TO freeze_orders;
CREATE INDEX freeze_orders_by_institution ON freeze_orders (institution, status);
CREATE INDEX freeze_orders_by_account ON freeze_orders (account);
CREATE INDEX freeze_orders_by_deadline ON freeze_orders (status, deadline_at);
CREATE TABLE freeze_renewals (
  order_id BIGINT NOT NULL,
  number INTEGER NOT NULL,
  document TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  unit TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  deadline_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  answered_at BIGINT NOT NULL,
  PRIMARY KEY (order_id, number)
);
CREATE INDEX freeze_renewals_by_status ON freeze_renewals (status);
CREATE TABLE freeze_returns (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  rule TEXT NOT NULL,
  frozen BIGINT NOT NULL,
  shares TEXT NOT NULL,
  orders TEXT NOT NULL,
  explanation TEXT NOT NULL,
  step TEXT NOT NULL,
  notice_at BIGINT NOT NULL,
  notice_ends_at BIGINT NOT NULL,
  returned_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX freeze_returns_by_account ON freeze_returns (account);
CREATE TABLE freeze_return_events (
  return_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  step TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (return_id, seq)
);
)sql";

// The platform's side of the bank interchange (interchange/platform.h, docs/spec/INTERCHANGE.md):
// each request as sent (body byte for byte, so a resend is the same message), when JetStream
// acknowledged it and its final answer; answers that could not be applied (faults); statement
// queries (明细查询) and what came back.
constexpr std::string_view kInterchangeTables = R"sql(
CREATE TABLE interchange_requests (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL,
  order_id BIGINT NOT NULL,
  renewal INTEGER NOT NULL,
  query_id BIGINT NOT NULL,
  institution TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  published_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  status TEXT NOT NULL,
  answered_at BIGINT NOT NULL,
  bank_ms BIGINT NOT NULL,
  answer TEXT NOT NULL
);
CREATE INDEX interchange_requests_unpublished ON interchange_requests (published_at);
CREATE INDEX interchange_requests_by_order ON interchange_requests (order_id);
CREATE TABLE interchange_faults (
  id INTEGER PRIMARY KEY,
  at BIGINT NOT NULL,
  subject TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  excerpt TEXT NOT NULL
);
CREATE TABLE statement_queries (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  institution TEXT NOT NULL,
  holder TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT NOT NULL,
  document TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  unit TEXT NOT NULL,
  continues BIGINT NOT NULL,
  status TEXT NOT NULL,
  rows_received BIGINT NOT NULL,
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX statement_queries_by_status ON statement_queries (status);
)sql";

// A bank node (bank/bank.h): every request it answered with its final answer, byte for byte (a
// redelivered request gets the same answer, nothing executed twice), and the holds it keeps per
// platform order: what it held, until when, renewals, release.
constexpr std::string_view kBankTables = R"sql(
CREATE TABLE bank_requests (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  answered_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  answer TEXT NOT NULL
);
CREATE TABLE bank_holds (
  order_ref TEXT NOT NULL PRIMARY KEY,
  request_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  account TEXT NOT NULL,
  case_id TEXT NOT NULL,
  document TEXT NOT NULL,
  amount BIGINT NOT NULL,
  executed_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  renewals INTEGER NOT NULL,
  released_at BIGINT NOT NULL,
  released_by TEXT NOT NULL
);
CREATE INDEX bank_holds_by_account ON bank_holds (account);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "store: accounts, transfers, cases, case identifiers and transfers", kCoreTables},
    Migration{2, "import: bank statement postings", kStatementPostings},
    Migration{3, "freeze: freeze orders and their history", kFreezeOrders},
    Migration{4, "warn: watchlist entries, warnings and outcomes", kWarnTables},
    Migration{5, "dispatch: leads, batches, feedback and takedown requests", kDispatchTables},
    Migration{6, "auth, audit: users, login sessions and the hash-chained audit log",
              kAuthAuditTables},
    Migration{7, "link: clusters of cases and their traced money", kLinkTables},
    Migration{8, "import: currencies of transfers and statement postings", kCurrencies},
    Migration{9, "auth, audit: disabled users, sessions by user, keyed audit chain",
              kAuthAuditKeyed},
    Migration{10, "store: imports in bounded transactions, hidden until finished", kImportBatches},
    Migration{11,
              "freeze: stop-payment, freeze and release orders with documents, the four facts and "
              "legal clocks; renewals; returns and their steps",
              kOrdersAsTheLawHasThem},
    Migration{12, "interchange: requests sent to banks, their answers, faults, statement queries",
              kInterchangeTables},
    Migration{13, "bank: requests a bank node answered and the holds it keeps", kBankTables},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }
int LatestSchemaVersion() { return kMigrations.back().version; }

}  // namespace fanzha::store
