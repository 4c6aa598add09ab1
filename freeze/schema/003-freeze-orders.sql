-- freeze: freeze orders and their history
-- Freeze orders (TRACING.md "Freeze plan and freeze orders"): one per (case, account), with its
-- lifecycle; every change of status is kept in freeze_order_events.
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
