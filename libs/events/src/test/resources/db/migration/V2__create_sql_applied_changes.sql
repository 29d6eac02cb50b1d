-- What the test consumer on the reactive SQL client applied, and whether each key's events came in order.
CREATE TABLE sql_applied_changes (
    event_id     varchar(200) PRIMARY KEY,
    account_key  varchar(200) NOT NULL,
    seq          integer      NOT NULL,
    in_order     boolean      NOT NULL
);
