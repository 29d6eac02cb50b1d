package org.countersign.otp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the otp-service, under {@code countersign.otp}. */
@ConfigMapping(prefix = "countersign.otp")
public interface OtpConfig {

    Window window();

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
    }
}
