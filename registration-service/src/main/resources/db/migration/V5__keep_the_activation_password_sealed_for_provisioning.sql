-- The activation password as RegistrationPending carried it, sealed to the provisioning-service's public
-- key: a device call that arrives before the event (activations in waves) is answered with this value
-- instead of opening the at-rest copy and sealing it again. Null for registrations written before this
-- column, and ignored once the provisioning-service's key has rotated: both are sealed afresh from the
-- at-rest copy, which stays the value this service can open.
ALTER TABLE registrations ADD COLUMN activation_password_for_provisioning text;
