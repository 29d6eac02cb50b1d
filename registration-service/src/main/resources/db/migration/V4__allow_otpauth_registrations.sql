-- Stock authenticator apps (activation type otpauth, Google's Key Uri Format): the registration's
-- activation password is the app's OTP key, and its OTP parameters travel with it to the
-- provisioning-service so that the first code is checked with the parameters the app was given.
ALTER TABLE registrations DROP CONSTRAINT registrations_activation_type_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_activation_type_check
    CHECK (activation_type IN ('offline', 'online', 'migrate', 'otpauth'));
ALTER TABLE registrations ADD COLUMN otp varchar(32);
