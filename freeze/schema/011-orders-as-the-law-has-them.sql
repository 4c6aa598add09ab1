-- freeze: stop-payment, freeze and release orders with documents, the four facts and legal clocks; renewals; returns and their steps
-- Orders as the law has them (freeze/orders.h): stop-payment, freeze and release orders with who
-- asked, on which document, the four facts a bank checks, and the legal clocks (executed_at,
-- deadline_at: 0 while no clock runs, renewals). The table is rebuilt because an account may now
-- have a stop-payment, a freeze and releases of the same case (UNIQUE per kind, and per released
-- order). Orders made before are freezes; those executed keep their last move as their execution,
-- and Sweep() gives them the law's deadline from it. freeze_renewals keeps each renewal asked for;
-- freeze_returns and freeze_return_events each return of frozen money and its steps (2016 rules:
-- a pro-rata return waits for a 30-day public notice).
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
