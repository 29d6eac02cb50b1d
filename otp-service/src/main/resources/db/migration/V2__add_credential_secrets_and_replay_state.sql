-- What a check needs: the secret (sealed under the service's at-rest key), its kind, and the replay
-- state. last_accepted is the last TOTP step or HOTP counter accepted (-1: none yet). A code is
-- accepted only through a conditional UPDATE that moves it forward, so no step is accepted twice,
-- not even by two concurrent requests (RFC 6238 section 5.2, RFC 4226 section 7.2).
ALTER TABLE credentials
    ADD COLUMN kind           varchar(8)  CHECK (kind IN ('HOTP', 'TOTP', 'OCRA')),
    ADD COLUMN sealed_secret  text,
    ADD COLUMN ocra_suite     varchar(80),
    ADD COLUMN last_accepted  bigint      NOT NULL DEFAULT -1,
    ADD COLUMN drift          integer     NOT NULL DEFAULT 0,
    ADD COLUMN source         varchar(16) CHECK (source IN ('instance', 'pskc')),
    ADD COLUMN updated_at     timestamptz;
UPDATE credentials SET kind = 'TOTP', sealed_secret = '', source = 'instance' WHERE kind IS NULL;
ALTER TABLE credentials ALTER COLUMN kind SET NOT NULL;
ALTER TABLE credentials ALTER COLUMN sealed_secret SET NOT NULL;
ALTER TABLE credentials ALTER COLUMN source SET NOT NULL;
ALTER TABLE credentials ALTER COLUMN otp_policy DROP NOT NULL;
-- An imported token belongs to nobody until its licence is assigned (licence_owners says to whom).
ALTER TABLE credentials ALTER COLUMN user_id DROP NOT NULL;
CREATE UNIQUE INDEX credentials_instance_key ON credentials (instance_id) WHERE instance_id IS NOT NULL;
CREATE UNIQUE INDEX credentials_token_key ON credentials (domain, serial_number) WHERE source = 'pskc';

-- Who holds each licence, from the registration-service's LicenceAssigned and LicenceReleased.
CREATE TABLE licence_owners (
    domain         varchar(253) NOT NULL,
    serial_number  varchar(64)  NOT NULL,
    user_id        varchar(255) NOT NULL,
    assigned_at    timestamptz  NOT NULL,
    PRIMARY KEY (domain, serial_number)
);
CREATE INDEX licence_owners_user_idx ON licence_owners (domain, user_id);
