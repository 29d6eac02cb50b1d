package org.countersign.provisioning.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "countersign.provisioning")
public interface ProvisioningConfig {

    /** The OTP parameters new offline instances get (protocol.md's otp string). */
    @WithDefault("totp:sha1:6:30")
    String otp();

    /** Wrong signatures (and repeated add-device calls) an activation survives before it fails for good. */
    @WithDefault("5")
    int maxAttempts();

    /**
     * How long a device call (online enrolment and confirmation, which carry no caller token to ask
     * registration-service with) waits for a registration whose RegistrationPending has not arrived yet,
     * before it answers that the registration is unknown.
     */
    @WithDefault("8s")
    Duration deviceCallWait();

    /**
     * How many such calls may wait at once on one replica; one more is answered 503 at once
     * (device-calls-waiting, Retry-After). The device routes take no token, so without a bound anyone
     * could hold thousands of calls, each looking at the table about ten times while it waits.
     */
    @WithDefault("1000")
    int deviceCallMaxWaiting();

    /** How long a finished activation (the state machine, not the instance) is kept, then purged. */
    @WithDefault("P30D")
    Duration finishedActivationRetention();

    Registration registration();

    /** The internal CA that issues device certificates at online activation. */
    Ca ca();

    /** Where online devices open their push channel (the push-service); answered at online activation. */
    @WithDefault("ws://127.0.0.1:8085/api/v1/devices/channel")
    String pushChannelUrl();

    interface Registration {
        /** Where registration-service answers, for device calls that arrive before its event. */
        @WithDefault("http://127.0.0.1:8081")
        String url();

        @WithDefault("5s")
        Duration timeout();
    }

    interface Ca {
        /**
         * The CA's P-256 private key: its PKCS#8 DER sealed under the service's at-rest keys for the
         * purpose ca-key (v1.&lt;kid&gt;.&lt;base64url&gt;). Without it online activation answers 503.
         */
        Optional<String> key();

        /** The CA's certificate: PEM, or the base64 of its DER. */
        Optional<String> certificate();

        /** How long a device certificate is valid (never beyond the CA certificate). */
        @WithDefault("P365D")
        Duration deviceCertificateValidity();
    }
}
