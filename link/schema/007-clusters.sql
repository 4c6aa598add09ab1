-- link: clusters of cases and their traced money
-- Linking (link/from_store.h): each case's cluster (the smallest case id in it) and whether its
-- money was traced; link_money keeps each traced case's reach (account '' when it reached nothing)
-- so that later runs never trace a case twice.
CREATE TABLE link_cases (
  case_id TEXT NOT NULL PRIMARY KEY,
  cluster TEXT NOT NULL,
  money INTEGER NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE INDEX link_cases_by_cluster ON link_cases (cluster);
CREATE TABLE link_money (
  case_id TEXT NOT NULL,
  account TEXT NOT NULL,
  fen BIGINT NOT NULL,
  seed_fen BIGINT NOT NULL,
  PRIMARY KEY (case_id, account)
);
