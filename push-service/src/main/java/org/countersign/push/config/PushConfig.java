package org.countersign.push.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the push-service, under {@code countersign.push}. */
@ConfigMapping(prefix = "countersign.push")
public interface PushConfig {

    Requests requests();

    Users users();

    Channel channel();

    LastSync lastSync();

    Bulk bulk();

    Fcm fcm();

    Apns apns();

    WakeUps wakeUps();

    interface Requests {
        /** Seconds a push request can be answered when the app names no ttlSeconds. */
        @WithDefault("120")
        @Min(10)
        int defaultTtlSeconds();

        /** Open (pending) push requests a user may have at once; one more is a 429 (push bombing). */
        @WithDefault("1")
        @Min(1)
        @Max(100)
        int maxOpenPerUser();

        /**
         * Push requests a user may be sent within {@link #userWindow()}, answered or not; one more is a 429
         * (push bombing: one open request at a time would still allow a new one the moment the user denies).
         */
        @WithDefault("10")
        @Min(1)
        int maxPerUser();

        /** The window of {@link #maxPerUser()}. */
        @WithDefault("15m")
        Duration userWindow();

        /**
         * Push requests one domain (tenant) may create per second, all its apps together; one more is a 429.
         * Keeps one tenant's runaway or compromised app from flooding devices and the service.
         */
        @WithDefault("500")
        @Min(1)
        int maxPerDomainPerSecond();

        /** The longest long-poll ({@code ?wait=}), in seconds. */
        @WithDefault("30")
        @Min(1)
        @Max(120)
        int maxWaitSeconds();

        /** How often overdue requests are expired (with PushExpired) when nobody read them. */
        @WithDefault("5s")
        Duration expirySweepInterval();

        /** How long answered and expired requests are kept (without their message), then purged. */
        @WithDefault("P30D")
        Duration retention();
    }

    interface Users {
        /** Whether a user no admin has set is enabled for push. Seed 000: users are enabled explicitly. */
        @WithDefault("false")
        boolean enabledByDefault();
    }

    interface Channel {
        /** How often the server pings each connected device. */
        @WithDefault("30s")
        Duration pingInterval();

        /** A connection that shows no sign of life (a message, a pong) for this long is closed as half-open. */
        @WithDefault("75s")
        Duration heartbeatTimeout();

        /** How long a presence record in Redis lives without being renewed (the replica renews its own). */
        @WithDefault("1h")
        Duration presenceTtl();

        /**
         * Messages (text frames and pongs) a device may send over its channel within one second; one more closes
         * the channel with 1008 (policy violation). Each message may cost a reply and a database round trip, so a
         * flooding device would otherwise hold a replica's event loop and memory; a device sends a few a minute.
         */
        @WithDefault("20")
        @Min(1)
        int maxMessagesPerSecond();

        /**
         * Messages to one device handed to its socket and not yet written out; one more closes the channel with
         * 1008. A device that stops reading would otherwise make the replica buffer every reply in memory.
         */
        @WithDefault("64")
        @Min(1)
        int maxSendsInFlight();
    }

    interface LastSync {
        /** "Last sync" is written at most once per device per this period: contacts in between are coalesced. */
        @WithDefault("60s")
        Duration resolution();

        /** How often the coalesced contacts are written to PostgreSQL, in one statement. */
        @WithDefault("5s")
        Duration flushInterval();
    }

    interface Bulk {
        /** User ids one bulk call may name. */
        @WithDefault("10000")
        @Min(1)
        int maxUsers();

        /** User ids applied per transaction. */
        @WithDefault("500")
        @Min(1)
        int chunkSize();

        /**
         * How often a replica looks for bulk work: new jobs, and those another replica (or this one before a
         * restart) left unfinished. Also the wait before its first look after start-up.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * Failed attempts in a row at a job's chunk after which the job is given up (status failed, reason
         * apply-failed): a job that cannot be applied neither retries forever nor holds up the others.
         */
        @WithDefault("3")
        @Min(1)
        int maxAttempts();

        /**
         * Running bulk jobs one domain (tenant) may have; one more is refused with 429 too-many-bulk-jobs, so
         * that one tenant's jobs cannot pile up in front of the others'.
         */
        @WithDefault("3")
        @Min(1)
        int maxRunningPerDomain();

        /** How long finished bulk jobs are kept, then purged. */
        @WithDefault("P7D")
        Duration retention();
    }

    /** Firebase Cloud Messaging (HTTP v1), for Android devices that are not connected. */
    interface Fcm {
        /**
         * The Firebase service account key, the JSON file Google issues (type, project_id, private_key_id,
         * private_key, client_email, token_uri). Without it Android devices are only reached over their channel.
         */
        Optional<String> serviceAccount();

        /** The FCM API. */
        @WithDefault("https://fcm.googleapis.com")
        String url();

        /** Where OAuth access tokens come from; the service account's token_uri when not set. */
        Optional<String> tokenUrl();
    }

    /** Apple Push Notification service (HTTP/2, token authentication), for iOS devices that are not connected. */
    interface Apns {
        /** The APNs signing key: the .p8 file's PEM (PKCS#8, P-256). Without it iOS devices are only reached over their channel. */
        Optional<String> key();

        /** The key's id (10 characters, from Apple's developer account). */
        Optional<String> keyId();

        /** The team id that owns the key. */
        Optional<String> teamId();

        /** The app's bundle id (apns-topic). */
        Optional<String> topic();

        /** https://api.push.apple.com, or https://api.sandbox.push.apple.com for development builds of the app. */
        @WithDefault("https://api.push.apple.com")
        String url();
    }

    interface WakeUps {
        /** How long one call to FCM or APNs may take. */
        @WithDefault("5s")
        Duration timeout();

        /** Calls per wake-up, the first included, when FCM or APNs fails in a way a retry can cure. */
        @WithDefault("3")
        @Min(1)
        @Max(10)
        int maxAttempts();

        /** The wait before the first retry; it doubles with each one. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** Failed calls in a row after which a provider is not called for a while (circuit open). */
        @WithDefault("10")
        @Min(1)
        int circuitFailures();

        /** How long an open circuit stays open before one call may try again. */
        @WithDefault("30s")
        Duration circuitOpenFor();
    }
}
