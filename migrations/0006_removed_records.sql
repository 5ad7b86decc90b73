CREATE TABLE `removed_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`bib` text NOT NULL,
	`name` text NOT NULL,
	`certificate_id` text NOT NULL,
	`record` text NOT NULL,
	`reason` text NOT NULL,
	`removed_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `removed_records_event_bib_idx` ON `removed_records` (`event_id`,`bib`);--> statement-breakpoint
CREATE INDEX `removed_records_removed_idx` ON `removed_records` (`removed_at`);--> statement-breakpoint
ALTER TABLE `imports` ADD `held_removals` text;