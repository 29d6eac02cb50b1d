-- V1's devices table was a placeholder that nothing wrote (push-service was an empty shell): it had no
-- device key, so no row of it could ever be used. It is replaced by the table the service needs.
DROP TABLE devices;

-- Online devices, learnt from AuthenticatorActivated (mode online) and DeviceMigrated. Revoked ones stay,
-- with their status, so that a late or repeated activation event never brings them back.
CREATE TABLE devices (
    instance_id             varchar(64)   PRIMARY KEY,
    domain                  varchar(253)  NOT NULL,
    user_id                 varchar(255)  NOT NULL,
    serial_number           varchar(64)   NOT NULL,
    platform                varchar(16)   NOT NULL CHECK (platform IN ('ANDROID', 'IOS', 'WEB', 'OTHER')),
    device_name             varchar(100),
    biometric               boolean       NOT NULL,
    -- The device's P-256 key, SubjectPublicKeyInfo DER: it signs device tokens and push answers.
    public_key              bytea         NOT NULL,
    certificate_not_after   timestamptz   NOT NULL,
    -- The FCM or APNs token (not a secret); disabled when FCM or APNs says it is no longer registered.
    push_token              varchar(4096),
    push_token_disabled_at  timestamptz,
    status                  varchar(16)   NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    -- When the device became online (its activation or migration), and when this service learnt of it:
    -- a device is sent the push requests created after it was known here.
    activated_at            timestamptz   NOT NULL,
    created_at              timestamptz   NOT NULL,
    revoked_at              timestamptz,
    -- "Last sync": the last contact (channel, poll, answer), written coalesced (README, "Last sync").
    last_sync_at            timestamptz,
    -- Authentication types the device offers, comma separated (otp, push, signature), as an admin set them.
    -- config_version counts the admin's changes; the device acknowledges one with its number.
    auth_types              varchar(64)   NOT NULL,
    config_version          integer       NOT NULL DEFAULT 0,
    config_changed_at       timestamptz,
    config_acked_version    integer       NOT NULL DEFAULT 0,
    config_acked_at         timestamptz
);
CREATE INDEX devices_user_idx ON devices (domain, user_id);

-- Instances revoked (AuthenticatorRevoked), kept even when the device is not known yet: a revocation may be
-- read before its activation, and the activation must then arrive revoked.
CREATE TABLE revoked_instances (
    instance_id  varchar(64)   PRIMARY KEY,
    domain       varchar(253)  NOT NULL,
    revoked_at   timestamptz   NOT NULL
);

-- A user's push settings ("Enable Mobile Push Authentication", "Require Biometric"). A user without a row
-- has the defaults (countersign.push.users-enabled-by-default, no biometric requirement).
-- deactivated_at: the latest UserDeactivated; a device activated before it (its event read late) arrives revoked.
CREATE TABLE push_users (
    domain             varchar(253)  NOT NULL,
    user_id            varchar(255)  NOT NULL,
    enabled            boolean       NOT NULL,
    require_biometric  boolean       NOT NULL,
    updated_at         timestamptz   NOT NULL,
    deactivated_at     timestamptz,
    PRIMARY KEY (domain, user_id)
);

-- Push requests. The message and fields are kept only while the request is pending (a device that polls
-- or reconnects fetches them); once it is answered or expired only the dataHash remains.
CREATE TABLE push_requests (
    id                 varchar(64)   PRIMARY KEY,
    domain             varchar(253)  NOT NULL,
    user_id            varchar(255)  NOT NULL,
    message            text,
    fields             text,
    data_hash          varchar(43)   NOT NULL,
    challenge          varchar(43)   NOT NULL,
    -- Number matching: the three options shown on the device (comma separated) and the one the app shows.
    number_options     varchar(32),
    display_number     integer,
    require_biometric  boolean       NOT NULL,
    status             varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'EXPIRED')),
    deny_reason        varchar(32),
    instance_id        varchar(64),
    created_at         timestamptz   NOT NULL,
    expires_at         timestamptz   NOT NULL,
    decided_at         timestamptz,
    CHECK ((number_options IS NULL) = (display_number IS NULL))
);
-- The requests a user was sent recently (countersign.push.requests.max-per-user within user-window).
CREATE INDEX push_requests_user_recent_idx ON push_requests (domain, user_id, created_at);
CREATE INDEX push_requests_open_idx ON push_requests (domain, user_id) WHERE status = 'PENDING';
CREATE INDEX push_requests_due_idx ON push_requests (expires_at) WHERE status = 'PENDING';
CREATE INDEX push_requests_finished_idx ON push_requests (expires_at) WHERE status <> 'PENDING';

-- Bulk changes of push settings (seed 000: many users at once). The user ids are stored with the job, so
-- that a job survives a restart and any replica can go on with it, chunk by chunk.
CREATE TABLE bulk_jobs (
    id                 varchar(64)   PRIMARY KEY,
    domain             varchar(253)  NOT NULL,
    enabled            boolean       NOT NULL,
    require_biometric  boolean,
    total              integer       NOT NULL,
    done               integer       NOT NULL DEFAULT 0,
    failed             integer       NOT NULL DEFAULT 0,
    status             varchar(16)   NOT NULL CHECK (status IN ('RUNNING', 'DONE')),
    created_at         timestamptz   NOT NULL,
    finished_at        timestamptz
);
CREATE TABLE bulk_job_items (
    job_id    varchar(64)   NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    position  integer       NOT NULL,
    -- Absent for an entry that is not a user id at all (never echoed back).
    user_id   varchar(255),
    state     varchar(16)   NOT NULL CHECK (state IN ('PENDING', 'DONE', 'FAILED')),
    reason    varchar(32),
    PRIMARY KEY (job_id, position)
);
CREATE INDEX bulk_job_items_pending_idx ON bulk_job_items (job_id, position) WHERE state = 'PENDING';
