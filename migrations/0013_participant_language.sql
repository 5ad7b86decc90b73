ALTER TABLE `events` ADD `language` text;--> statement-breakpoint
ALTER TABLE `records` ADD `language` text;