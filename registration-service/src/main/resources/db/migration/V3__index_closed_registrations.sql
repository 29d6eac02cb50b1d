-- The housekeeping job deletes registrations that ended without an authenticator, oldest first.
CREATE INDEX registrations_closed_idx ON registrations (closed_at) WHERE status IN ('EXPIRED', 'CANCELLED', 'FAILED');
