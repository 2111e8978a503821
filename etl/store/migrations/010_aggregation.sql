-- How an indicator is carried up to coarser levels (gminy → powiaty → województwa), as the catalogue declares it:
-- 'sum' for counts, 'weighted_mean' with the indicator named in aggregate_weight (e.g. population) for rates,
-- NULL where adding up makes no sense (a median, a density computed otherwise).
ALTER TABLE indicators ADD COLUMN aggregate TEXT;
ALTER TABLE indicators ADD COLUMN aggregate_weight TEXT;
