-- Offline authentication data for logon agents (protocol.md, "Offline authentication data"; issue 18).
--
-- A domain's policy lives beside its other settings; NULL means the service's default
-- (countersign.otp.offline.*), so a domain that never set one follows the operator's defaults.
ALTER TABLE domain_settings
    ADD COLUMN offline_enabled           boolean,
    ADD COLUMN offline_max_days          integer CHECK (offline_max_days BETWEEN 1 AND 31),
    ADD COLUMN offline_iterations        integer CHECK (offline_iterations BETWEEN 100000 AND 2000000),
    ADD COLUMN offline_admins_may_force  boolean;

-- One row per agent of a user: the last bundle it was given (which credential, which steps), when it
-- may have the next, whether an admin allowed that sooner, whether it was revoked, and what it
-- reported. Never the bundle itself: no tags, no salt, no PIN, no K_off. An agent id names an agent
-- within one user of one domain; the same id for another user is another row.
CREATE TABLE offline_agents (
    domain              varchar(253) NOT NULL,
    user_id             varchar(255) NOT NULL,
    agent_id            varchar(64)  NOT NULL,
    credential_id       uuid         NOT NULL REFERENCES credentials (id),
    serial_number       varchar(64)  NOT NULL,
    -- The bundle covers the TOTP steps [first_step, end_step) of the credential.
    first_step          bigint       NOT NULL CHECK (first_step >= 0),
    end_step            bigint       NOT NULL,
    iterations          integer      NOT NULL CHECK (iterations >= 100000),
    issued_at           timestamptz  NOT NULL,
    -- A refresh for the same credential before this is refused, unless an admin forced it.
    next_refresh_at     timestamptz  NOT NULL,
    -- An admin allowed the next refresh now (also after a revocation); a refresh clears it.
    refresh_forced_at   timestamptz,
    revoked_at          timestamptz,
    last_reported_step  bigint,
    reported_at         timestamptz,
    updated_at          timestamptz  NOT NULL,
    PRIMARY KEY (domain, user_id, agent_id),
    CONSTRAINT offline_agents_steps CHECK (end_step > first_step)
);

CREATE INDEX offline_agents_credential ON offline_agents (credential_id);
