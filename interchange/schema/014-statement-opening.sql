-- interchange: the opening balance a bank gives with a statement answer
-- The account's balance just before the window's start in the bank's books (docs/spec/INTERCHANGE.md,
-- `statement.opening`), in fen; NULL when the bank did not say. The federated trace (walk/) starts
-- an account there with this balance.
ALTER TABLE statement_queries ADD COLUMN opening BIGINT;
