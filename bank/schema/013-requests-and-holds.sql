-- bank: requests a bank node answered and the holds it keeps
-- A bank node (bank/bank.h): every request it answered with its final answer, byte for byte (a
-- redelivered request gets the same answer, nothing executed twice), and the holds it keeps per
-- platform order: what it held, until when, renewals, release.
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
