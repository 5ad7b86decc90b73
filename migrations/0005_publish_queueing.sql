ALTER TABLE `publish_runs` ADD `queued` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `queued_through` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `queued_at` integer;