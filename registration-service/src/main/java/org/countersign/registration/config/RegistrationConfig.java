package org.countersign.registration.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the registration-service, under {@code countersign.registration}. */
@ConfigMapping(prefix = "countersign.registration")
public interface RegistrationConfig {

    /** The default cap of authenticators per user and type, pending registrations included. */
    @WithDefault("3")
    int maxAuthenticatorsPerUser();

    /** How long a registration stays open by default. */
    @WithDefault("PT15M")
    Duration registrationLifetime();

    /** The activation types allowed by default. */
    @WithDefault("offline,online,migrate,otpauth")
    String activationTypes();

    /** How often expired registrations are looked for (they are also found after any downtime). */
    @WithDefault("5s")
    Duration expirySweepInterval();

    /**
     * How long past its expiry a registration stays pending here, so that an activation the
     * provisioning-service accepted just in time reaches this service before the sweep closes it.
     */
    @WithDefault("PT2M")
    Duration expiryGrace();

    /** How long a registration that ended without an authenticator (expired, cancelled, failed) is kept, then purged. */
    @WithDefault("P90D")
    Duration closedRetention();

    /** The base URL devices use for online activation, put into enrolment URIs. */
    @WithDefault("http://localhost:8082")
    String provisioningUrl();

    /** The issuer name shown by devices (the iss parameter of activation message 1), if any. */
    Optional<String> issuer();

    Otpauth otpauth();

    /** Stock authenticator apps (activation type otpauth). */
    interface Otpauth {
        /**
         * The OTP parameters of their keys (protocol.md's otp string, TOTP only). The default is what
         * every app honours: many ignore the algorithm, digits and period they are given.
         */
        @WithDefault("totp:sha1:6:30")
        @jakarta.validation.constraints.Pattern(regexp = "totp:(sha1|sha256|sha512):[678]:[1-9][0-9]*",
                message = "must be a TOTP parameter string, e.g. totp:sha1:6:30")
        String otp();

        /** The issuer shown in the app when countersign.registration.issuer is not set. */
        @WithDefault("Countersign")
        String defaultIssuer();
    }
}
