CREATE TABLE accounts (
    account_key  varchar(200) PRIMARY KEY,
    last_seq     integer      NOT NULL
);
-- What the test consumer applied, and whether each key's events came in order.
CREATE TABLE applied_changes (
    event_id     varchar(200) PRIMARY KEY,
    account_key  varchar(200) NOT NULL,
    seq          integer      NOT NULL,
    in_order     boolean      NOT NULL,
    secret_hash  varchar(64)
);
