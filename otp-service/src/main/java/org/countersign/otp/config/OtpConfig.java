package org.countersign.otp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the otp-service, under {@code countersign.otp}. */
@ConfigMapping(prefix = "countersign.otp")
public interface OtpConfig {

    Window window();

    Throttle throttle();

    interface Throttle {
        /** Failed checks of a credential allowed per period before it is locked for a while. */
        @WithDefault("5")
        int maxFailures();

        /** The period failures are counted over. */
        @WithDefault("5m")
        java.time.Duration period();

        /** How long a credential stays locked after too many failures. */
        @WithDefault("5m")
        java.time.Duration lockDuration();

        /** Temporary locks in a row after which only an admin can unlock the credential. */
        @WithDefault("3")
        int maxLocks();
    }

    interface Window {
        /** TOTP steps accepted before the expected one (clock drift of the token). */
        @WithDefault("1")
        int totpBefore();

        /** TOTP steps accepted after the expected one. */
        @WithDefault("1")
        int totpAfter();

        /** HOTP counters looked ahead of the expected one (codes generated but never used). */
        @WithDefault("10")
        int hotpLookAhead();

        /** Resynchronisation: TOTP steps searched on each side of the current one (two codes in a row needed). */
        @WithDefault("100")
        int resyncTotpSteps();

        /** Resynchronisation: HOTP counters searched ahead of the expected one. */
        @WithDefault("1000")
        int resyncHotpLookAhead();
    }
}
