package org.countersign.otp.service;

import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Argon2Parameters;
import org.countersign.otp.domain.PinHash;
import org.countersign.secrets.Randomness;

/**
 * Hashes and checks server PINs with Argon2id (BouncyCastle). Each hash costs tens of milliseconds
 * of CPU and 19 MiB by default, on purpose, so it runs on a worker thread through
 * {@code executeBlocking}, which hands the result back on the caller's context (a Panache call may
 * follow; switching threads with emitOn would break Hibernate Reactive).
 */
@ApplicationScoped
public class PinHasher {

    static final int SALT_LENGTH = 16;
    static final int HASH_LENGTH = 32;

    private final Vertx vertx;
    private final Argon2Parameters current;
    /** Checked against when the user has no PIN, so that the answer takes as long as a real check. */
    private final PinHash decoy;

    /** Every Argon2id derivation, real or decoy: operators see the PIN load, tests see that no path skips it. */
    private final Counter derivations;

    public PinHasher(Vertx vertx, OtpConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        this.vertx = vertx;
        this.derivations = Counter.builder("countersign.otp.pin.derivations")
                .description("Argon2id derivations of PINs, including decoys for users without one").register(registry);
        OtpConfig.Pin.Argon2 argon2 = config.pin().argon2();
        this.current = new Argon2Parameters(argon2.memoryKib(), argon2.iterations(), argon2.parallelism());
        this.decoy = PinHash.of(current, Randomness.bytes(SALT_LENGTH), Randomness.bytes(HASH_LENGTH));
    }

    /** A new hash of the PIN with the current parameters and a fresh 16-byte salt. */
    public Uni<PinHash> hash(String pin) {
        byte[] salt = Randomness.bytes(SALT_LENGTH);
        return blocking(() -> PinHash.of(current, salt, derive(current, salt, pin, HASH_LENGTH)));
    }

    /**
     * Whether the PIN is the one hashed, compared in constant time. Without a stored hash it does
     * the same work against a decoy and answers false: the time does not tell whether a PIN exists.
     */
    public Uni<Boolean> matches(PinHash stored, String pin) {
        PinHash against = stored == null ? decoy : stored;
        return blocking(() -> {
            // Derive first: the work is done whether or not a PIN exists.
            boolean same = against.matches(derive(against.parameters(), against.salt(), pin, against.hashLength()));
            return same && stored != null;
        });
    }

    /** Whether a hash was made with other parameters than today's, and should be made again. */
    public boolean outdated(PinHash pin) {
        return !pin.parameters().equals(current);
    }

    private <T> Uni<T> blocking(Supplier<T> work) {
        // Unordered: PIN checks of concurrent requests need not wait for each other.
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            derivations.increment();
            return work.get();
        }), false);
    }

    /** Argon2id, version 0x13, over the PIN's UTF-8 bytes; the copy of the PIN is wiped afterwards. */
    static byte[] derive(Argon2Parameters parameters, byte[] salt, String pin, int length) {
        byte[] password = pin.getBytes(StandardCharsets.UTF_8);
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                    org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                    .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt).withMemoryAsKB(parameters.memoryKib()).withIterations(parameters.iterations())
                    .withParallelism(parameters.parallelism()).build());
            byte[] out = new byte[length];
            generator.generateBytes(password, out);
            return out;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }
}
