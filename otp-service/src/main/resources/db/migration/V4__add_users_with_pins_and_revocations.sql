-- What the otp-service keeps about a user besides credentials: the server PIN and the per-user
-- throttle. A row exists once a PIN is set, a check of the user fails, or the user is deactivated.
--
-- The PIN is an Argon2id hash (RFC 9106) with its salt and the parameters it was made with, so that
-- the defaults can be raised later and old hashes still verify. Never the PIN itself.
--
-- Failures are counted per user in Redis (cs:otp:user-failures:<domain>:<userId>, with a TTL); these
-- columns are the fallback when Redis is away, and locked_until is the lock itself.
CREATE TABLE users (
    domain             varchar(253) NOT NULL,
    user_id            varchar(255) NOT NULL,
    pin_algorithm      varchar(16)  CHECK (pin_algorithm IN ('argon2id')),
    pin_hash           bytea,
    pin_salt           bytea,
    pin_memory_kib     integer,
    pin_iterations     integer,
    pin_parallelism    integer,
    pin_updated_at     timestamptz,
    fail_count         integer      NOT NULL DEFAULT 0,
    fail_window_start  timestamptz,
    locked_until       timestamptz,
    -- The latest UserDeactivated: a credential provisioned before it (its event arriving late) is revoked.
    deactivated_at     timestamptz,
    PRIMARY KEY (domain, user_id),
    -- A PIN is all of these or none of them.
    CONSTRAINT users_pin_complete CHECK (
        num_nulls(pin_algorithm, pin_hash, pin_salt, pin_memory_kib, pin_iterations, pin_parallelism, pin_updated_at) IN (0, 7))
);

-- Instances revoked (AuthenticatorRevoked). Kept even when the credential has not arrived yet: the
-- revocation and the credential come on different topics, and a revoked instance must never become
-- usable because its CredentialProvisioned was read after its revocation.
CREATE TABLE revoked_instances (
    instance_id  varchar(64)  PRIMARY KEY,
    domain       varchar(253) NOT NULL,
    revoked_at   timestamptz  NOT NULL
);
