-- The table of libs/device-auth, in the schema of the service that uses it (add db/device-auth to its
-- quarkus.flyway.locations). A repeatable migration, like libs/events' db/events: every statement stays
-- idempotent, and a change is made by adding idempotent statements.

-- Every device token's jti, kept until its replay window ends (exp plus the clock skew): the truth
-- about which tokens were used. Redis holds a copy that answers replays early.
CREATE TABLE IF NOT EXISTS device_token_uses (
    instance_id  varchar(64)   NOT NULL,
    jti          varchar(128)  NOT NULL,
    expires_at   timestamptz   NOT NULL,
    PRIMARY KEY (instance_id, jti)
);
CREATE INDEX IF NOT EXISTS device_token_uses_expiry_idx ON device_token_uses (expires_at);
