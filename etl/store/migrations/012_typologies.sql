-- Typologies: a class for each unit (e.g. the functional types of gminy A–J), declared in the workspace as
-- [[typologies]], for comparison groups ("typology:ID:CLASS", alone or crossed with a size class: "typology:ID:CLASS&size:5k-20k").
CREATE TABLE typologies (
    id        TEXT PRIMARY KEY,
    level     TEXT NOT NULL,
    name_pl   TEXT NOT NULL,
    name_en   TEXT,
    name_lt   TEXT,
    classes   TEXT,                    -- JSON: {"pl": {class: words}, "en": {...}, "lt": {...}}
    source_id TEXT NOT NULL
);

CREATE TABLE unit_classes (
    typology_id TEXT NOT NULL,
    code        TEXT NOT NULL,
    class       TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    PRIMARY KEY (typology_id, code)
);
