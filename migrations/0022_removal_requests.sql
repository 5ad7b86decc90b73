-- Participants' removal requests, and the proofs certificates were issued with (src/certificates/removal-requests.ts, verify.ts).
CREATE TABLE `issued_proofs` (
	`certificate_id` text NOT NULL,
	`proof` text NOT NULL,
	`event_id` integer NOT NULL,
	`first_issued` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`certificate_id`, `proof`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `issued_proofs_event_idx` ON `issued_proofs` (`event_id`);--> statement-breakpoint
CREATE TABLE `removal_answers` (
	`record_id` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `removal_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`record_id` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`confirmed` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `removal_requests_event_state_idx` ON `removal_requests` (`event_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `removal_requests_pending_unique` ON `removal_requests` (`record_id`) WHERE "removal_requests"."state" = 'pending';--> statement-breakpoint
ALTER TABLE `events` ADD `removal_check` text;