-- Records are known to imports by a participant key: the bib, or for someone without one a column
-- the organiser chose (`key:…`) or the folded name (`name:…`). The bib becomes a printed value that
-- may be missing. Written by hand rather than as drizzle-kit's table rebuild: renaming the column
-- keeps every row, id and index in place, where dropping `records` would delete its search terms
-- (record_terms cascades from it, and a migration runs with foreign keys on, so PRAGMA
-- foreign_keys=OFF does nothing) and copy up to 250,000 rows. Every existing key is its bib.
ALTER TABLE `records` RENAME COLUMN `bib` TO `participant_key`;--> statement-breakpoint
ALTER TABLE `records` ADD `bib` text;--> statement-breakpoint
UPDATE `records` SET `bib` = `participant_key`;--> statement-breakpoint
DROP INDEX `records_event_bib_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `records_event_key_unique` ON `records` (`event_id`,`participant_key`);--> statement-breakpoint
CREATE INDEX `records_event_bib_idx` ON `records` (`event_id`,`bib`);--> statement-breakpoint
ALTER TABLE `removed_records` RENAME COLUMN `bib` TO `participant_key`;--> statement-breakpoint
ALTER TABLE `removed_records` ADD `bib` text;--> statement-breakpoint
UPDATE `removed_records` SET `bib` = `participant_key`;--> statement-breakpoint
DROP INDEX `removed_records_event_bib_idx`;--> statement-breakpoint
CREATE INDEX `removed_records_event_key_idx` ON `removed_records` (`event_id`,`participant_key`);
