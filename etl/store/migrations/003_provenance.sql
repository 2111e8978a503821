-- Where fetched data came from: for connector sources (GUS BDL, ...) a JSON object with the service, its API
-- version, the request (variable id, level, parent, years) and the fetch time. NULL for files.
ALTER TABLE sources ADD COLUMN provenance TEXT;
