-- dispatch: leads, batches, feedback and takedown requests
-- Leads (dispatch/dispatch.h): one row per lead with its latest content (body, JSON) and feedback;
-- lead_cases maps each case to the lead that carries it; batches are numbered per jurisdiction and
-- list what each carried; lead_events keep every push, update and feedback. Takedown requests
-- (takedown/takedown.h): one per (kind, value), with the platform that can act on it.
-- owned by takedown: takedowns
CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  revision INTEGER NOT NULL,
  batch_id BIGINT NOT NULL,
  pushed_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  arrests BIGINT NOT NULL,
  solved BIGINT NOT NULL,
  recovered BIGINT NOT NULL,
  reason TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX leads_by_jurisdiction ON leads (jurisdiction, status);
CREATE TABLE lead_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  lead_id BIGINT NOT NULL
);
CREATE INDEX lead_cases_by_lead ON lead_cases (lead_id);
CREATE TABLE lead_batches (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  number BIGINT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (jurisdiction, number)
);
CREATE TABLE lead_batch_items (
  batch_id BIGINT NOT NULL,
  lead_id BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (batch_id, lead_id)
);
CREATE TABLE lead_events (
  lead_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (lead_id, seq)
);
CREATE TABLE takedowns (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  platform TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  lead_id BIGINT NOT NULL,
  cases TEXT NOT NULL,
  category TEXT NOT NULL,
  region TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX takedowns_by_platform ON takedowns (platform, status);
