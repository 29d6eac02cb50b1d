package org.countersign.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Configuration of libs/events, under {@code countersign.events}. */
@ConfigMapping(prefix = "countersign.events")
public interface EventsConfig {

    /** Put before every topic and consumer group name; tests use it so that runs never share topics. */
    Optional<String> topicPrefix();

    /** The ce_source of what this service publishes, e.g. {@code /countersign/registration-service}. */
    @WithDefault("/countersign/${quarkus.application.name}")
    String source();

    /** Validate every outgoing event against its JSON Schema before it is written (a bug fails loudly). */
    @WithDefault("true")
    boolean validateOutgoing();

    /** Partitions of the topics this service creates at start-up when they do not exist. */
    @WithDefault("3")
    int partitions();

    Relay relay();

    Consumers consumers();

    Sealing sealing();

    interface Relay {
        /** Whether this replica publishes the outbox (any number may; one at a time does). */
        @WithDefault("true")
        boolean enabled();

        /** The safety net: how often the relay looks for events when no notification came. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Events published per database transaction. */
        @WithDefault("500")
        int batchSize();

        /**
         * After a batch smaller than {@link #batchSize}, how long the leader lets the next events gather before it
         * reads and sends them: under load, events committed one by one would otherwise each cost a produce request
         * to Kafka and a statement. It delays an event by at most this, and only while events flow (an idle relay
         * waits for the commit's notification as before). 0 sends each batch at once.
         */
        @WithDefault("10ms")
        Duration batchWait();

        /** How long published events stay in the outbox table. */
        @WithDefault("P7D")
        Duration retention();

        /** The longest wait between attempts while Kafka is unreachable. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface Consumers {
        /** Whether this replica runs the service's event consumers. */
        @WithDefault("true")
        boolean enabled();

        /** Attempts of a failing (non-retriable) event before it goes to the dead-letter topic. */
        @WithDefault("3")
        int maxAttempts();

        /**
         * Kafka's {@code max.poll.interval.ms}: a consumer that has not polled for this long leaves its
         * group. Ours poll on while they retry, so only a handler stuck for this long is affected
         * (and its consumer is rebuilt); tests shorten it.
         */
        @WithDefault("5m")
        Duration maxPollInterval();

        /**
         * Kafka's {@code session.timeout.ms}: how long the group waits for a member that stopped heartbeating (a
         * replica killed or crashed, never closed) before its partitions go to the others. Until then nobody
         * reads them: with Kafka's default of 45 s a crashed service's events stood still for up to 45 s after it
         * was restarted. Heartbeats go every third of it, from the client's own thread.
         */
        @WithDefault("10s")
        Duration sessionTimeout();

        /**
         * The liveness check reports DOWN when a consumer's thread has ended or has not completed a
         * poll for this long (a handler stuck), so that the orchestrator restarts the service.
         */
        @WithDefault("3m")
        Duration livenessTimeout();

        /**
         * After a poll that brought records but fewer than a full poll's worth, how long a consumer waits before it
         * polls again, so that the events that arrive meanwhile come together. While events flow, each consumer
         * otherwise fetches, commits its offsets and (a {@link SqlEventHandler}) opens a transaction for one or two
         * events at a time: that is the broker's and the database's work per event that this saves. It delays an
         * event by at most about twice this (the Kafka consumer fetches the next batch before its poll returns), and
         * only while events flow: an idle consumer waits in Kafka's long poll as before. 0 turns it off.
         */
        @WithDefault("25ms")
        Duration batchWait();

        /** How long processed event ids are kept for de-duplication. */
        @WithDefault("P30D")
        Duration dedupRetention();
    }

    interface Sealing {
        /**
         * This service's own X25519 private keys, {@code kid:base64,kid2:base64} (32 bytes each): they open
         * what other services seal for it on internal topics (HPKE). Only a service that receives sealed
         * values has them; several keys let them rotate, every listed one opens.
         */
        Optional<String> privateKeys();

        /**
         * The public keys of the services this one seals for, by service: {@code recipients.provisioning},
         * {@code recipients.otp}, each {@code kid:base64} of the X25519 public key values are sealed to now.
         */
        Map<String, String> recipients();

        /**
         * The service's own keys for secrets at rest (activation passwords, OTP secrets),
         * {@code kid:base64,kid2:base64} of 32 random bytes: required by a service that keeps secrets.
         */
        Optional<String> atRestKeys();

        /** The id of the at-rest key that seals new values; the first listed by default. */
        Optional<String> atRestCurrentKeyId();
    }

    /** The service's name, the last segment of the source: what client ids and consumer names start with. */
    default String serviceName() {
        return source().substring(source().lastIndexOf('/') + 1);
    }

    /** The prefix as a string, empty when none is configured. */
    default String prefix() {
        return topicPrefix().orElse("");
    }
}
