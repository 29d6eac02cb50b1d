package org.countersign.provisioning.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "countersign.provisioning")
public interface ProvisioningConfig {

    /** The OTP parameters new offline instances get (protocol.md's otp string). */
    @WithDefault("totp:sha1:6:30")
    String otp();

    /** Wrong signatures (and repeated add-device calls) an activation survives before it fails for good. */
    @WithDefault("5")
    int maxAttempts();

    /** How long a finished activation (the state machine, not the instance) is kept, then purged. */
    @WithDefault("P30D")
    Duration finishedActivationRetention();

    Registration registration();

    interface Registration {
        /** Where registration-service answers, for device calls that arrive before its event. */
        @WithDefault("http://127.0.0.1:8081")
        String url();

        @WithDefault("5s")
        Duration timeout();
    }
}
