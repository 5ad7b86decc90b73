ALTER TABLE `records` ADD `hand_edited` text;--> statement-breakpoint
ALTER TABLE `records` ADD `file_values` text;