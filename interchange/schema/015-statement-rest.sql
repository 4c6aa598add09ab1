-- interchange: where an incomplete statement answer stopped, and who asks for the rest
-- A row for a query whose asker asks for the rest of an incomplete answer itself (asks_rest 0: the
-- federated trace asks only for what its trace still needs, in pieces at once; without a row the
-- platform asks for the rest by itself, as `fanzha statement` expects), and for a query answered
-- incomplete: next_from, the time of the first posting the answer left out
-- (docs/spec/INTERCHANGE.md, `statement.next_from`), so the query covers [from_at, next_from).
-- A table of its own, as migration 14's openings: the released tables stay as they were.
CREATE TABLE statement_query_rests (
  query INTEGER PRIMARY KEY,
  asks_rest INTEGER NOT NULL DEFAULT 1,
  next_from BIGINT
);
