-- Results apply in the order they were sent: an import whose ticket is older than the last one
-- applied fails its whole commit batch instead of overwriting newer results.
CREATE TRIGGER `events_applied_ticket_forward`
BEFORE UPDATE OF `applied_ticket` ON `events`
WHEN NEW.`applied_ticket` < OLD.`applied_ticket`
BEGIN
  SELECT RAISE(ABORT, 'stale import: a file sent later has already been applied');
END;
