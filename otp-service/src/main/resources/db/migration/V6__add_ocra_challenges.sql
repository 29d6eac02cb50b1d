-- OCRA challenge-response (RFC 6287) for imported tokens whose PSKC names an OCRA suite. A challenge
-- keeps the question Q the token is given (it is shown to the user anyway), the suite it was drawn
-- for, and its state; never the response. It is accepted once, by a conditional UPDATE from PENDING,
-- in the same transaction as the conditional UPDATE that moves the credential's counter or time step
-- (credentials.last_accepted), so neither a challenge nor a counter is accepted twice.
CREATE TABLE ocra_challenges (
    id             varchar(64)  PRIMARY KEY,
    domain         varchar(253) NOT NULL,
    user_id        varchar(255) NOT NULL,
    credential_id  uuid         NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    serial_number  varchar(64)  NOT NULL,
    suite          varchar(80)  NOT NULL,
    challenge      varchar(64)  NOT NULL,
    status         varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED')),
    -- The counter or time step the accepted response was computed with; absent for plain suites.
    moving_factor  bigint,
    created_at     timestamptz  NOT NULL,
    expires_at     timestamptz  NOT NULL,
    closed_at      timestamptz
);
CREATE INDEX ocra_challenges_expiry_idx ON ocra_challenges (expires_at);
CREATE INDEX ocra_challenges_credential_idx ON ocra_challenges (credential_id);
