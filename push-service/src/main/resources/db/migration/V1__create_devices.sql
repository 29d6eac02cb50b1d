-- A push-capable device, known from its online activation. Push requests follow.
CREATE TABLE devices (
    instance_id   varchar(64)  PRIMARY KEY,
    domain        varchar(253) NOT NULL,
    user_id       varchar(255) NOT NULL,
    platform      varchar(16)  NOT NULL CHECK (platform IN ('ANDROID', 'IOS', 'WEB', 'OTHER')),
    enabled       boolean      NOT NULL,
    created_at    timestamptz  NOT NULL,
    last_sync_at  timestamptz
);
CREATE INDEX devices_user_idx ON devices (domain, user_id);
