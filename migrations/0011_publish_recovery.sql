CREATE TABLE `publish_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`certificate_id` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `publish_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `publish_failures_run_idx` ON `publish_failures` (`run_id`);--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `progressed_at` integer;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `chunk_from` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `chunk_queued` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `chunk_done` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `chunk_failed` integer DEFAULT 0 NOT NULL;