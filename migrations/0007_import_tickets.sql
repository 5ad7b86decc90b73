ALTER TABLE `events` ADD `import_ticket` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `applied_ticket` integer DEFAULT 0 NOT NULL;