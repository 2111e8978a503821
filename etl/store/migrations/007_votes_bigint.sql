-- Votes as 64-bit integers: a proposals file with a count of 2^31 or more must not crash a load.
ALTER TABLE proposals ALTER COLUMN votes TYPE BIGINT;
