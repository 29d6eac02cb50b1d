-- Offline transaction signing (protocol.md, "Offline transaction signing"). Signing needs K_tx (to
-- seal the challenge) and K_sign (to check the response); libs/protocol derives both from the
-- instance secret IS alone, so the service keeps IS, sealed under its at-rest key with a purpose of
-- its own ("signing-instance-secret"), never in clear. Only instances activated through the
-- provisioning-service have one: imported PSKC tokens, and instances provisioned before this
-- migration (whose IS was not kept), cannot sign.
ALTER TABLE credentials ADD COLUMN sealed_instance_secret text;

-- A signing challenge: what a response is checked against. Never the response, never the message or
-- fields in clear: the dataHash names them. A challenge is closed once, by a conditional UPDATE from
-- PENDING, so that it can be approved only once even when two checks arrive together.
CREATE TABLE signature_challenges (
    id             varchar(64)  PRIMARY KEY,
    domain         varchar(253) NOT NULL,
    user_id        varchar(255) NOT NULL,
    credential_id  uuid         NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    serial_number  varchar(64)  NOT NULL,
    instance_id    varchar(64)  NOT NULL,
    data_hash      varchar(43)  NOT NULL,
    status         varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'APPROVED')),
    created_at     timestamptz  NOT NULL,
    expires_at     timestamptz  NOT NULL,
    closed_at      timestamptz
);
CREATE INDEX signature_challenges_expiry_idx ON signature_challenges (expires_at);
CREATE INDEX signature_challenges_credential_idx ON signature_challenges (credential_id);
