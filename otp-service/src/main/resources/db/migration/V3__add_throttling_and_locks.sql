-- Guessing is throttled per credential: failures are counted in Redis (fast, with a TTL), with these
-- columns as the fallback when Redis is away. Too many failures in a period lock the credential for a
-- while (locked_until); too many such locks lock it until an admin unlocks it (status LOCKED).
ALTER TABLE credentials DROP CONSTRAINT IF EXISTS credentials_status_check;
ALTER TABLE credentials ADD CONSTRAINT credentials_status_check CHECK (status IN ('ACTIVE', 'DISABLED', 'REVOKED', 'LOCKED'));
ALTER TABLE credentials
    ADD COLUMN fail_count         integer     NOT NULL DEFAULT 0,
    ADD COLUMN fail_window_start  timestamptz,
    ADD COLUMN locked_until       timestamptz,
    ADD COLUMN lock_count         integer     NOT NULL DEFAULT 0,
    ADD COLUMN last_used_at       timestamptz;
