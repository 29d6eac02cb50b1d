-- Licence inventory. A licence is a serial number that can be activated up to max_activations
-- times (SDL: once; MDL: up to N). Each registration reserves one activation; the activation
-- confirms it, expiry, failure or cancellation releases it. The CHECK keeps the books exact even if
-- code is wrong: never more used plus reserved than allowed.
CREATE TABLE licences (
    id                    uuid          PRIMARY KEY,
    domain                varchar(253)  NOT NULL,
    serial_number         varchar(64)   NOT NULL,
    authenticator_type    varchar(32)   NOT NULL,
    licence_model         varchar(3)    NOT NULL CHECK (licence_model IN ('SDL', 'MDL')),
    max_activations       integer       NOT NULL CHECK (max_activations >= 1),
    activations_used      integer       NOT NULL DEFAULT 0 CHECK (activations_used >= 0),
    activations_reserved  integer       NOT NULL DEFAULT 0 CHECK (activations_reserved >= 0),
    assigned_user_id      varchar(255),
    source                varchar(8)    NOT NULL CHECK (source IN ('json', 'pskc')),
    status                varchar(16)   NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    CONSTRAINT licences_domain_serial_key UNIQUE (domain, serial_number),
    CONSTRAINT licences_within_limit CHECK (activations_used + activations_reserved <= max_activations),
    CONSTRAINT licences_sdl_single CHECK (licence_model = 'MDL' OR max_activations = 1)
);
CREATE INDEX licences_free_idx ON licences (domain, authenticator_type, serial_number)
    WHERE status = 'ACTIVE' AND assigned_user_id IS NULL;
CREATE INDEX licences_user_idx ON licences (domain, assigned_user_id);

-- A registration: an open invitation for one user to activate one authenticator with one licence.
CREATE TABLE registrations (
    id                          varchar(64)   PRIMARY KEY,
    domain                      varchar(253)  NOT NULL,
    user_id                     varchar(255)  NOT NULL,
    licence_id                  uuid          NOT NULL REFERENCES licences (id),
    serial_number               varchar(64)   NOT NULL,
    authenticator_type          varchar(32)   NOT NULL,
    activation_type             varchar(8)    NOT NULL CHECK (activation_type IN ('offline', 'online', 'migrate')),
    instance_id                 varchar(64),
    status                      varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'ACTIVATED', 'EXPIRED', 'CANCELLED', 'FAILED', 'REVOKED')),
    -- The activation password, sealed under the service's at-rest key; never stored in plaintext.
    sealed_activation_password  text          NOT NULL,
    created_at                  timestamptz   NOT NULL,
    expires_at                  timestamptz   NOT NULL,
    closed_at                   timestamptz
);
CREATE INDEX registrations_user_idx ON registrations (domain, user_id, authenticator_type, status);
CREATE INDEX registrations_expiry_idx ON registrations (expires_at) WHERE status = 'PENDING';

-- Per domain and authenticator type; a missing row means the defaults of the configuration.
CREATE TABLE policies (
    domain                        varchar(253)  NOT NULL,
    authenticator_type            varchar(32)   NOT NULL,
    max_authenticators_per_user   integer       NOT NULL CHECK (max_authenticators_per_user BETWEEN 1 AND 100),
    registration_lifetime_seconds integer       NOT NULL CHECK (registration_lifetime_seconds BETWEEN 60 AND 2592000),
    activation_types              varchar(32)   NOT NULL,
    updated_at                    timestamptz   NOT NULL,
    PRIMARY KEY (domain, authenticator_type)
);
