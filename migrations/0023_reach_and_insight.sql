-- Reach and insight: downloads (exports, export_files), what happened (event_stats), the event's look and
-- organisers' hostnames (events.accent_colour, logo_hash, cover_hash; hostnames), participants' photos (record_photos).
CREATE TABLE `exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`selection` text NOT NULL,
	`state` text DEFAULT 'running' NOT NULL,
	`failure` text,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`slice_size` integer NOT NULL,
	`file_size` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `exports_event_idx` ON `exports` (`event_id`);--> statement-breakpoint
CREATE TABLE `event_stats` (
	`event_id` integer NOT NULL,
	`day` text NOT NULL,
	`metric` text NOT NULL,
	`key` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`event_id`, `day`, `metric`, `key`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `export_files` (
	`export_id` integer NOT NULL,
	`number` integer NOT NULL,
	`after_id` integer NOT NULL,
	`through_id` integer NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`key` text NOT NULL,
	`upload_id` text,
	`parts` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`carry_key` text,
	`list_key` text,
	`finished` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`export_id`, `number`),
	FOREIGN KEY (`export_id`) REFERENCES `exports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `hostnames` (
	`hostname` text PRIMARY KEY NOT NULL,
	`organiser_id` integer NOT NULL,
	`event_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organiser_id`) REFERENCES `organisers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hostnames_organiser_idx` ON `hostnames` (`organiser_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `hostnames_event_unique` ON `hostnames` (`event_id`);--> statement-breakpoint
CREATE TABLE `record_photos` (
	`record_id` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `events` ADD `accent_colour` text;--> statement-breakpoint
ALTER TABLE `events` ADD `logo_hash` text;--> statement-breakpoint
ALTER TABLE `events` ADD `cover_hash` text;