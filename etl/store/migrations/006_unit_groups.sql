-- Comparison groups a user saves (e.g. "cities like ours"): named lists of units of one level.
CREATE TABLE unit_groups (
    group_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    level     TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    saved_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, unit_code)
);
