-- A reject's reason as a catalogue key and its values (JSON) beside its English text, so that the dashboard says
-- it in the reader's language (etl/reasons). Rejects written before keep only their text.
ALTER TABLE rejects ADD COLUMN reason_key TEXT;
ALTER TABLE rejects ADD COLUMN reason_args TEXT;
