-- Derived indicators are declared in the catalogue, not coded by hand: a JSON object such as
-- {"kind": "per_1000", "of": "businesses", "per": "population"}, computed in SQL from the observations.
ALTER TABLE indicators ADD COLUMN derivation TEXT;
