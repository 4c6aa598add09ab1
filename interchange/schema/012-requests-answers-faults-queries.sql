-- interchange: requests sent to banks, their answers, faults, statement queries
-- The platform's side of the bank interchange (interchange/platform.h, docs/spec/INTERCHANGE.md):
-- each request as sent (body byte for byte, so a resend is the same message), when JetStream
-- acknowledged it and its final answer; answers that could not be applied (faults); statement
-- queries (明细查询) and what came back.
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
