-- import: currencies of transfers and statement postings
-- Currencies (ISO 4217) of transfers and statement postings, for statements in other currencies
-- (ISO 20022 camt statements carry any); everything stored before is in yuan.
ALTER TABLE transfers ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE statement_postings ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
