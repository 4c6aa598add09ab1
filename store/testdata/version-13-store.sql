-- A store as the release with migrations 1-13 (store/schema.cc's list) created it: sqlite3 .dump
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO fanzha_meta VALUES('application','fanzha');
INSERT INTO fanzha_meta VALUES('schema_version','13');
INSERT INTO fanzha_meta VALUES('last_import_id','0');
CREATE TABLE IF NOT EXISTS "account_rows" (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL UNIQUE,
  declared INTEGER NOT NULL,
  holder TEXT NOT NULL,
  institution TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  opening_balance BIGINT NOT NULL,
  attributes TEXT NOT NULL
, import_id BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS "transfer_rows" (
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
, currency TEXT NOT NULL DEFAULT 'CNY', import_id BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS "case_rows" (
  id TEXT NOT NULL PRIMARY KEY,
  reported_at BIGINT NOT NULL,
  region TEXT NOT NULL,
  category TEXT NOT NULL,
  loss BIGINT,
  narrative TEXT NOT NULL,
  victim_name TEXT NOT NULL,
  victim_phone TEXT NOT NULL,
  victim_account TEXT NOT NULL
, import_id BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS "case_identifier_rows" (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  raw TEXT NOT NULL,
  value TEXT NOT NULL,
  valid INTEGER NOT NULL, import_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE IF NOT EXISTS "case_transfer_rows" (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  transfer_id TEXT NOT NULL, import_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE IF NOT EXISTS "statement_posting_rows" (
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
  source TEXT NOT NULL, currency TEXT NOT NULL DEFAULT 'CNY', import_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account, serial)
);
CREATE TABLE freeze_order_events (
  order_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  amount BIGINT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (order_id, seq)
);
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
CREATE TABLE warning_outcomes (
  warning_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  saved BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (warning_id, seq)
);
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
CREATE TABLE lead_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  lead_id BIGINT NOT NULL
);
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
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  region TEXT NOT NULL,
  institution TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
, disabled_at BIGINT);
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
, keyed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE link_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  cluster TEXT NOT NULL,
  money INTEGER NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE TABLE link_money (
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  fen BIGINT NOT NULL,
  seed_fen BIGINT NOT NULL,
  PRIMARY KEY (case_id, account)
);
CREATE TABLE pending_imports (
  id BIGINT NOT NULL PRIMARY KEY,
  transfers BIGINT NOT NULL
);
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
CREATE TABLE IF NOT EXISTS "freeze_orders" (
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
CREATE TABLE freeze_return_events (
  return_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  step TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (return_id, seq)
);
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
CREATE INDEX case_identifiers_by_value ON "case_identifier_rows" (type, value);
CREATE INDEX case_transfers_by_transfer ON "case_transfer_rows" (transfer_id);
CREATE INDEX statement_postings_by_transfer ON "statement_posting_rows" (transfer_id);
CREATE INDEX warnings_by_region ON warnings (region, score);
CREATE INDEX leads_by_jurisdiction ON leads (jurisdiction, status);
CREATE INDEX lead_cases_by_lead ON lead_cases (lead_id);
CREATE INDEX takedowns_by_platform ON takedowns (platform, status);
CREATE INDEX link_cases_by_cluster ON link_cases (cluster);
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE VIEW accounts AS SELECT id, account, declared, holder, institution, region, kind,
  opening_balance, attributes FROM account_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE VIEW transfers AS SELECT seq, id, time, from_account, to_account, amount, channel, memo, ip,
  device, currency FROM transfer_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE VIEW cases AS SELECT id, reported_at, region, category, loss, narrative, victim_name,
  victim_phone, victim_account FROM case_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE VIEW case_identifiers AS SELECT case_id, seq, type, raw, value, valid
  FROM case_identifier_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE VIEW case_transfers AS SELECT case_id, seq, transfer_id FROM case_transfer_rows
  WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE VIEW statement_postings AS SELECT account, serial, side, time, amount, balance, counterparty,
  counterparty_name, counterparty_bank, memo, ip, mac, attributes, transfer_id, source, currency
  FROM statement_posting_rows WHERE import_id NOT IN (SELECT id FROM pending_imports);
CREATE INDEX freeze_orders_by_institution ON freeze_orders (institution, status);
CREATE INDEX freeze_orders_by_account ON freeze_orders (account);
CREATE INDEX freeze_orders_by_deadline ON freeze_orders (status, deadline_at);
CREATE INDEX freeze_renewals_by_status ON freeze_renewals (status);
CREATE INDEX freeze_returns_by_account ON freeze_returns (account);
CREATE INDEX interchange_requests_unpublished ON interchange_requests (published_at);
CREATE INDEX interchange_requests_by_order ON interchange_requests (order_id);
CREATE INDEX statement_queries_by_status ON statement_queries (status);
CREATE INDEX bank_holds_by_account ON bank_holds (account);
COMMIT;
