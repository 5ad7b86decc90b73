CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`date` text,
	`location` text,
	`published` integer DEFAULT false NOT NULL,
	`published_at` integer,
	`template_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_slug_unique` ON `events` (`slug`);--> statement-breakpoint
CREATE INDEX `events_published_idx` ON `events` (`published`,`date`);--> statement-breakpoint
CREATE TABLE `record_terms` (
	`event_id` integer NOT NULL,
	`term` text NOT NULL,
	`record_id` integer NOT NULL,
	PRIMARY KEY(`event_id`, `term`, `record_id`),
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `record_terms_record_idx` ON `record_terms` (`record_id`);--> statement-breakpoint
CREATE TABLE `records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`source_id` integer,
	`bib` text NOT NULL,
	`name` text NOT NULL,
	`category` text,
	`gender` text,
	`age` integer,
	`finish_time` text,
	`rank_overall` integer,
	`rank_gender` integer,
	`rank_category` integer,
	`status` text DEFAULT 'finished' NOT NULL,
	`extra` text,
	`hidden` integer DEFAULT false NOT NULL,
	`certificate_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `records_event_bib_unique` ON `records` (`event_id`,`bib`);--> statement-breakpoint
CREATE UNIQUE INDEX `records_certificate_id_unique` ON `records` (`certificate_id`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`url` text,
	`mapping` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer,
	`name` text NOT NULL,
	`layout` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
