-- The offline activation state machine, one row per registration. PostgreSQL is the truth; Redis
-- holds a copy of pending rows for quick answers. Secrets are AEAD-sealed under the service's
-- at-rest key (v1.<kid>.<b64url>) and cleared once the activation is over.
CREATE TABLE activations (
    registration_id            varchar(64)  PRIMARY KEY,
    domain                     varchar(253) NOT NULL,
    user_id                    varchar(255) NOT NULL,
    serial_number              varchar(64)  NOT NULL,
    activation_type            varchar(16)  NOT NULL,
    migrate_instance_id        varchar(64),
    status                     varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'DEVICE_ADDED', 'ACTIVATED', 'FAILED',
                                                                       'EXPIRED', 'CANCELLED')),
    sealed_activation_password text,
    instance_id                varchar(64),
    sealed_device_code         text,
    sealed_instance_secret     text,
    otp                        varchar(32),
    failed_attempts            integer      NOT NULL DEFAULT 0,
    expires_at                 timestamptz  NOT NULL,
    created_at                 timestamptz  NOT NULL,
    updated_at                 timestamptz  NOT NULL
);
CREATE INDEX activations_user_idx ON activations (domain, user_id);

-- What an instance needs beyond V1: where it came from, its OTP parameters and its secret (kept
-- sealed, for the migration of an offline instance online, which proves possession with K_proof).
ALTER TABLE authenticator_instances
    ADD COLUMN registration_id        varchar(64),
    ADD COLUMN otp                    varchar(32),
    ADD COLUMN sealed_instance_secret text,
    ADD COLUMN revoked_at             timestamptz;
