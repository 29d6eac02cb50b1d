-- Users are userId@domain. Licences, assignments and registrations follow in later migrations.
CREATE TABLE users (
    id          uuid         PRIMARY KEY,
    domain      varchar(253) NOT NULL,
    user_id     varchar(255) NOT NULL,
    status      varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'DEACTIVATED')),
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    CONSTRAINT users_domain_user_id_key UNIQUE (domain, user_id)
);
