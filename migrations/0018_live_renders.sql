-- Live runs: the renders of the records an import wrote into a published event (src/publish/live.ts).
ALTER TABLE `publish_runs` ADD `kind` text DEFAULT 'publish' NOT NULL;--> statement-breakpoint
ALTER TABLE `publish_runs` ADD `written_at` integer;
