-- An activated authenticator instance. Activations (the state machine) and the internal CA follow.
CREATE TABLE authenticator_instances (
    instance_id    varchar(64)  PRIMARY KEY,
    domain         varchar(253) NOT NULL,
    user_id        varchar(255) NOT NULL,
    serial_number  varchar(64)  NOT NULL,
    mode           varchar(16)  NOT NULL CHECK (mode IN ('OFFLINE', 'ONLINE')),
    status         varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    created_at     timestamptz  NOT NULL
);
CREATE INDEX authenticator_instances_user_idx ON authenticator_instances (domain, user_id);
