-- A registration closed before this service saw it opened is recorded closed (so that its late
-- RegistrationPending opens nothing); a close event of an older version does not say its type.
ALTER TABLE activations DROP CONSTRAINT activations_activation_type_check;
ALTER TABLE activations ADD CONSTRAINT activations_activation_type_check
    CHECK (activation_type IN ('offline', 'online', 'migrate', 'otpauth') OR (activation_type = 'unknown' AND status IN ('CANCELLED', 'EXPIRED')));
