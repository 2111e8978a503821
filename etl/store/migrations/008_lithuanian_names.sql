-- Lithuanian names beside the Polish and English ones (levels, indicators, goals); NULL: the interface falls back
-- to the English name.
ALTER TABLE levels ADD COLUMN name_lt TEXT;
ALTER TABLE indicators ADD COLUMN name_lt TEXT;
ALTER TABLE goals ADD COLUMN name_lt TEXT;
