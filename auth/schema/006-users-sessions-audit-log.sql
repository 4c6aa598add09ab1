-- auth, audit: users, login sessions and the hash-chained audit log
-- Users and their login sessions (auth/auth.h); the hash-chained audit log (audit/audit.h).
-- owned by audit: audit_log
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
