CREATE TABLE `import_commits` (
	`import_key` text PRIMARY KEY NOT NULL,
	`event_id` integer NOT NULL,
	`source_id` integer,
	`updated_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
