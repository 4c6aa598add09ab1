-- casefile: a case's moves through the justice process, and its suspects
-- Each move of a case from one stage to another (casefile/stages.h): when it happened and when it
-- was recorded, by whom, on which document, and why for a move back (back 1). A case without a
-- move is at 'reported'. Suspects attached to a case with their role in the gang and, when they
-- were detained, when (the clock of the request for arrest runs from it).
CREATE TABLE case_stage_moves (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  at BIGINT NOT NULL,
  by_user TEXT NOT NULL,
  document TEXT NOT NULL,
  note TEXT NOT NULL,
  back INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE case_suspects (
  case_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  identifier TEXT NOT NULL,
  role TEXT NOT NULL,
  detained_at BIGINT,
  by_user TEXT NOT NULL,
  attached_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
