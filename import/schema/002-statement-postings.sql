-- import: bank statement postings
-- Bank statement rows as the banks returned them (provenance of statement transfers). side: 1 out
-- (debit), 2 in (credit). transfer_id: the transfer this posting became or was merged into.
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
