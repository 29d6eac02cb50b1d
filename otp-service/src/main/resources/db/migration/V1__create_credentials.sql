-- A credential the otp-service checks. Its sealed secret, replay state, drift and lock state follow
-- with the verification issue.
CREATE TABLE credentials (
    id             uuid         PRIMARY KEY,
    domain         varchar(253) NOT NULL,
    user_id        varchar(255) NOT NULL,
    serial_number  varchar(64)  NOT NULL,
    instance_id    varchar(64),
    otp_policy     varchar(32)  NOT NULL,
    status         varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED', 'REVOKED')),
    created_at     timestamptz  NOT NULL
);
CREATE INDEX credentials_user_idx ON credentials (domain, user_id);
