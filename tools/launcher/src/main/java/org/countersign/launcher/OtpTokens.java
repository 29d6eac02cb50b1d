package org.countersign.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * The otp benchmark's tokens, kept in the data directory so that the next run verifies the same ones
 * instead of importing more (every import adds rows the otp-service's lookups then go through):
 * their domain, serial numbers, a master key each token's key derives from, and the next counter
 * each will send.
 *
 * <p>HOTP, not TOTP: a TOTP token accepts one code per 30-second step, so a sustained N/s would need
 * 30 N tokens; an HOTP token accepts its next counter at every request.
 */
final class OtpTokens {

    /** One token per user. */
    static final int CREDENTIALS = 4096;
    static final OtpPolicy POLICY = OtpPolicy.parse("hotp:sha1:6");

    final String domain;
    final String serialPrefix;
    final byte[] master;
    final AtomicLongArray next;
    final Secret[] keys = new Secret[CREDENTIALS];

    OtpTokens(String domain, String serialPrefix, byte[] master, AtomicLongArray next) {
        this.domain = domain;
        this.serialPrefix = serialPrefix;
        this.master = master;
        this.next = next;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            for (int i = 0; i < CREDENTIALS; i++) {
                keys[i] = Secret.copyOf(Arrays.copyOf(mac.doFinal(("token-" + i).getBytes(StandardCharsets.US_ASCII)), 20));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static OtpTokens fresh(String run) {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        return new OtpTokens("bench-" + run + ".example", "B" + run + "-", master, new AtomicLongArray(CREDENTIALS));
    }

    String user(int i) {
        return "user-" + i;
    }

    String serial(int i) {
        return serialPrefix + i;
    }

    /** The code token i shows at counter {@code counter}. */
    String code(int i, long counter) {
        return Otp.at(POLICY, keys[i], counter);
    }

    /** The tokens an earlier run left, or null when there are none (or of another shape). */
    static OtpTokens load(Path file) {
        return BenchSupport.readKept(file, p -> {
            long[] next = Arrays.stream(p.getProperty("next", "").split(",")).mapToLong(Long::parseLong).toArray();
            if (next.length != CREDENTIALS || !POLICY.format().equals(p.getProperty("otp"))) {
                return null;
            }
            return new OtpTokens(p.getProperty("domain"), p.getProperty("serials"), Base64.getDecoder().decode(p.getProperty("master")),
                    new AtomicLongArray(next));
        });
    }

    void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("domain", domain);
        p.setProperty("serials", serialPrefix);
        p.setProperty("otp", POLICY.format());
        p.setProperty("master", Base64.getEncoder().encodeToString(master));
        StringBuilder counters = new StringBuilder();
        for (int i = 0; i < CREDENTIALS; i++) {
            counters.append(i == 0 ? "" : ",").append(next.get(i));
        }
        p.setProperty("next", counters.toString());
        BenchSupport.keep(file, p, "./countersign bench otp: its HOTP tokens (development data), reused by the next run");
    }
}
