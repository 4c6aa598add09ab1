-- auth, audit: disabled users, sessions by user, keyed audit chain
-- Users that are disabled (fanzha user disable) keep their row; their sessions are deleted, found
-- by user. Audit entries say whether their hash is keyed: those from before the key are not.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE INDEX sessions_by_user ON sessions (user_name);
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
