-- store: accounts, transfers, cases, case identifiers and transfers
-- Channel codes in transfers.channel: 0 transfer, 1 withdrawal, 2 deposit, 3 purchase.
-- accounts.declared: 0 for a placeholder created because a transfer named the account.
-- accounts.attributes: "" or a JSON array of [name, value] pairs in file order.
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
