CREATE TABLE `name_words` (
	`event_id` integer NOT NULL,
	`word` text NOT NULL,
	PRIMARY KEY(`event_id`, `word`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `records` ADD `terms_outdated` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `records_outdated_terms_idx` ON `records` (`id`) WHERE "records"."terms_outdated" = 1;--> statement-breakpoint
-- Names in Cyrillic or Greek letters, or with ä ö ü ø å, get transliterated search terms: the cron
-- makes their terms anew (records/terms.ts).
UPDATE `records` SET `terms_outdated` = 1
  WHERE `name` GLOB '*[Ѐ-ӿͰ-Ͽἀ-῿äöüøåÄÖÜØÅ]*'
    OR json_extract(`extra`, '$."Name as in the file"') GLOB '*[Ѐ-ӿͰ-Ͽἀ-῿äöüøåÄÖÜØÅ]*';--> statement-breakpoint
INSERT OR IGNORE INTO `name_words` (`event_id`, `word`)
  SELECT DISTINCT `event_id`, `term` FROM `record_terms` WHERE length(`term`) >= 5;
