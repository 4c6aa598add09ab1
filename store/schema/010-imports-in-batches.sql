-- store: imports in bounded transactions, hidden until finished
-- Imports in bounded transactions (store.h, "Imports"): the records' tables become *_rows, each
-- row carrying the import that wrote it; a view with the old name shows the rows of finished
-- imports only, so every reader keeps its queries. pending_imports lists the imports still being
-- written (or killed and not yet cleaned); import ids come from fanzha_meta and are never reused.
-- account_fills holds placeholders an import declares, applied when it finishes.
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
