-- casefile: who works a case, the officers' notes on it, the files that came with it
-- Each assignment of a case to an officer (casefile/work.h), kept in order: the last one says who
-- has the case now ('' when it was taken back). Notes are appended, never edited. Attachments
-- (报案材料, 法律文书) are stored whole with their SHA-256, which is checked again on every read.
CREATE TABLE case_assignments (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  officer TEXT NOT NULL,
  by_user TEXT NOT NULL,
  note TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE case_notes (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  by_user TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE case_attachments (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  by_user TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
