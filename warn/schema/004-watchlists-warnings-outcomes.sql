-- warn: watchlist entries, warnings and outcomes
-- Early warning (warn/store_io.h): watchlist entries, warnings (latest revision) and outcomes.
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
CREATE INDEX warnings_by_region ON warnings (region, score);
CREATE TABLE warning_outcomes (
  warning_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  saved BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (warning_id, seq)
);
