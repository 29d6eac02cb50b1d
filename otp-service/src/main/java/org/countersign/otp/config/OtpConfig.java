package org.countersign.otp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Configuration of the otp-service, under {@code countersign.otp}. */
@ConfigMapping(prefix = "countersign.otp")
public interface OtpConfig {

    Window window();

    Throttle throttle();

    Pin pin();

    /** How concurrent checks share statements (CheckRepository). */
    Batch batch();

    /**
     * Concurrent checks are read, and their codes accepted, in shared statements: a check that arrives
     * while {@code max-in-flight} statements of its kind run waits for the first of them to finish,
     * then goes with every check that queued meanwhile (up to {@code max-size}) in one statement and
     * one transaction. At low load nothing waits; under load a check waits at most one round trip.
     */
    interface Batch {
        /** The most checks one statement serves; 1 turns the sharing off. */
        @WithDefault("64")
        @Min(1)
        int maxSize();

        /** Statements of one kind (reads, acceptances) running at once. */
        @WithDefault("4")
        @Min(1)
        int maxInFlight();
    }

    /** How long a signing or OCRA challenge is kept after it expired, then purged. */
    @WithDefault("P7D")
    java.time.Duration challengeRetention();

    interface Throttle {
        /** Failed checks of a credential allowed per period before it is locked for a while. */
        @WithDefault("5")
        @Min(1)
        int maxFailures();

        /** The period failures are counted over, from the first one. */
        @WithDefault("5m")
        java.time.Duration period();

        /**
         * How long a credential stays locked: the first lock in a row lasts the first duration, the
         * second the second, and so on; the last one repeats. A success starts the row afresh. A
         * domain may make the n-th lock in a row permanent (admin API, domain settings).
         */
        @WithDefault("1m,5m,15m,1h,4h,24h")
        @Size(min = 1)
        List<java.time.Duration> lockDurations();

        /** Guessing across all of a user's credentials (and PIN changes). */
        User user();

        interface User {
            /**
             * Failed checks of a user allowed per period, whatever credential they named, before the
             * user is locked for a while. A success gives back only its own attempt: this is a rate of
             * failures.
             */
            @WithDefault("10")
            @Min(1)
            int maxFailures();

            /** The period a user's failures are counted over, from the first one. */
            @WithDefault("5m")
            java.time.Duration period();

            /** How long a user stays locked, escalating as for credentials; the last duration repeats. */
            @WithDefault("1m,5m,15m,1h,4h,24h")
            @Size(min = 1)
            List<java.time.Duration> lockDurations();
        }
    }

    /** The server PIN: its policy, and the Argon2id parameters of new hashes. */
    interface Pin {
        /**
         * The shortest PIN accepted when one is set or changed. 6 by default: protocol.md asks at least 6
         * for users with offline authentication data, whose PIN can be attacked offline.
         */
        @WithDefault("6")
        @Min(1)
        int minLength();

        /**
         * The longest PIN accepted when one is set or changed. At most 64: a PIN+OTP is at most
         * 64 + 8 characters long.
         */
        @WithDefault("16")
        @Min(1)
        @Max(64)
        int maxLength();

        /** Whether a PIN is digits only; otherwise any printable ASCII character but the space. */
        @WithDefault("true")
        boolean digitsOnly();

        /**
         * Argon2id (RFC 9106) for new hashes; the defaults are OWASP's (19 MiB, 2 passes, 1 lane).
         * Each hash keeps the parameters it was made with, so raising them never breaks a PIN.
         */
        Argon2 argon2();

        interface Argon2 {
            /** Memory in KiB. */
            @WithDefault("19456")
            @Min(8)
            int memoryKib();

            /** Passes over the memory. */
            @WithDefault("2")
            @Min(1)
            int iterations();

            /** Lanes. */
            @WithDefault("1")
            @Min(1)
            @Max(16)
            int parallelism();
        }
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
