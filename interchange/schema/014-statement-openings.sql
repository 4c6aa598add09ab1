-- interchange: the opening balance a bank gives with a statement answer; queries by account
-- The account's balance just before the window's start in the bank's books (docs/spec/INTERCHANGE.md,
-- `statement.opening`), in fen, per answered query; none when the bank did not say. The federated
-- trace (federated/) starts an account there with this balance.
CREATE TABLE statement_query_openings (
  query INTEGER PRIMARY KEY,
  opening BIGINT NOT NULL
);
-- A federated trace reads the queries of each account it meets, many times a second.
CREATE INDEX statement_queries_by_account ON statement_queries (account, from_at);
