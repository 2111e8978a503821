-- A run can name the data version it made (`ldatlas load --tag "Raport o stanie gminy 2025"`), so a report can
-- say which data it was based on; on DuckLake the tag also names the snapshot, which `ldatlas maintain` keeps.
ALTER TABLE runs ADD COLUMN tag TEXT;
