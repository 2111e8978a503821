-- Other identifiers of a unit, as the services that publish it name it: GISCO's GISCO_ID and LAU_ID, NUTS codes,
-- so data keyed by them can be joined to the store's own code (TERYT for Polish units).
CREATE TABLE unit_ids (
    code      TEXT NOT NULL,           -- the unit's code in the store
    scheme    TEXT NOT NULL,           -- 'gisco', 'lau', 'nuts', ...
    id        TEXT NOT NULL,           -- the identifier in that scheme
    source_id TEXT NOT NULL,
    PRIMARY KEY (scheme, id)
);
