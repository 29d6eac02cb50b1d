package org.countersign.otp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The defaults of offline authentication data, under {@code countersign.otp.offline}: what a domain
 * gets until its admin sets its own (GET/PUT /api/v1/otp/admin/offline-data/policy).
 */
@ConfigMapping(prefix = "countersign.otp.offline")
public interface OfflineConfig {

    /**
     * Whether a domain that set nothing allows offline data. Off: a bundle can be attacked offline
     * (docs/otp.md), so each tenant opts in.
     */
    @WithDefault("false")
    boolean enabled();

    /** The most days one bundle covers (protocol.md's default, 7). */
    @WithDefault("7")
    @Min(1)
    @Max(31)
    int maxDays();

    /**
     * PBKDF2-HMAC-SHA256 iterations of K_off: OWASP's 2023 figure for PBKDF2-HMAC-SHA256, about
     * 0.2 s of one core per logon and per bundle here (./countersign bench offline-data).
     */
    @WithDefault("600000")
    @Min(100_000)
    @Max(2_000_000)
    int iterations();

    /** Whether admins may allow a refresh before the day is over, or after a revocation. */
    @WithDefault("true")
    boolean adminsMayForce();
}
