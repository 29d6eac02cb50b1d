-- Online activation (device keys), migration of an offline instance online, and stock authenticator
-- apps (otpauth). Keys and certificates are public: stored as DER. Secrets stay sealed (v1.<kid>.<b64url>).

-- An instance may now hold a device key and the certificate the internal CA issued for it.
ALTER TABLE authenticator_instances DROP CONSTRAINT authenticator_instances_mode_check;
ALTER TABLE authenticator_instances ADD CONSTRAINT authenticator_instances_mode_check
    CHECK (mode IN ('OFFLINE', 'ONLINE', 'OTPAUTH'));
ALTER TABLE authenticator_instances
    ADD COLUMN public_key            bytea,
    ADD COLUMN certificate           bytea,
    ADD COLUMN certificate_serial    varchar(40),
    ADD COLUMN certificate_not_after timestamptz,
    ADD COLUMN platform              varchar(16) CHECK (platform IN ('android', 'ios', 'web', 'other')),
    ADD COLUMN device_name           varchar(100),
    ADD COLUMN biometric             boolean,
    ADD COLUMN push_token            varchar(4096),
    ADD COLUMN migrated_at           timestamptz,
    ADD CONSTRAINT authenticator_instances_online_has_key
        CHECK (mode <> 'ONLINE' OR (public_key IS NOT NULL AND certificate IS NOT NULL AND platform IS NOT NULL));
CREATE UNIQUE INDEX authenticator_instances_certificate_serial_idx ON authenticator_instances (certificate_serial)
    WHERE certificate_serial IS NOT NULL;

-- What the enrolment of an online or migrate activation keeps until its confirmation: the device's
-- key, h (the CSR hash the confirmation code is bound to), the certificate issued, and the device's
-- details; for otpauth, the time step that confirmed the app.
ALTER TABLE activations ADD CONSTRAINT activations_activation_type_check
    CHECK (activation_type IN ('offline', 'online', 'migrate', 'otpauth'));
ALTER TABLE activations
    ADD COLUMN device_public_key     bytea,
    ADD COLUMN csr_hash              varchar(43),
    ADD COLUMN certificate           bytea,
    ADD COLUMN certificate_serial    varchar(40),
    ADD COLUMN certificate_not_after timestamptz,
    ADD COLUMN platform              varchar(16) CHECK (platform IN ('android', 'ios', 'web', 'other')),
    ADD COLUMN device_name           varchar(100),
    ADD COLUMN biometric             boolean,
    ADD COLUMN push_token            varchar(4096),
    ADD COLUMN accepted_step         bigint;
