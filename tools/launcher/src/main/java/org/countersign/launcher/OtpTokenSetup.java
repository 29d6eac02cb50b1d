package org.countersign.launcher;

import static org.countersign.launcher.BenchHttp.send;
import static org.countersign.launcher.BenchSupport.progress;
import static org.countersign.launcher.OtpTokens.CREDENTIALS;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/**
 * The otp benchmark's tokens before the load: those of the last run when each still verifies,
 * new ones imported otherwise; and the checks that they verify and that a spent code is refused.
 */
final class OtpTokenSetup {

    /** How far past its recorded counter a token is resynchronised (more than one run can spend; HOTP's resync window is 1,000). */
    private static final int RESYNC_SKIP = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tokens, each of which has just verified its next code, and where they came from. */
    record Ready(OtpTokens tokens, String origin) {
    }

    private OtpTokenSetup() {
    }

    /** The tokens of the last run when they still verify; new ones otherwise. Saves them to {@code file} as they move. */
    static Ready prepare(String registration, String otp, DevKeys keys, Path file) throws Exception {
        OtpTokens tokens = OtpTokens.load(file);
        if (tokens != null) {
            progress("pre-flight: each of the " + CREDENTIALS + " tokens of an earlier run (domain " + tokens.domain + ") verifies once...");
            int[] outcome = preflight(otp, verifyAuth(keys, tokens), tokens);
            tokens.save(file);
            if (outcome[2] == 0) {
                return new Ready(tokens, "reused from an earlier run (" + outcome[1] + " resynchronised first)");
            }
            progress(outcome[2] + " tokens of the earlier run no longer verify: importing new ones");
        }
        byte[] runId = new byte[4];
        new SecureRandom().nextBytes(runId);
        tokens = OtpTokens.fresh(HexFormat.of().formatHex(runId));
        long start = System.nanoTime();
        OtpTokenImport.seed(registration, otp, "Bearer " + DevTokens.mint(keys.privateKey(), "bench", tokens.domain,
                List.of("registration", "admin"), Duration.ofHours(2)), tokens);
        tokens.save(file);
        String origin = String.format(Locale.ROOT, "imported now (PSKC, users, assignments, until otp-service had all: %.1f s)",
                (System.nanoTime() - start) / 1e9);
        progress("pre-flight: each token verifies its first code...");
        int[] outcome = preflight(otp, verifyAuth(keys, tokens), tokens);
        tokens.save(file);
        if (outcome[2] > 0) {
            throw new IllegalStateException(outcome[2] + " freshly imported tokens did not verify; see ./countersign logs otp");
        }
        return new Ready(tokens, origin);
    }

    /** A bearer token of the tokens' domain with the scope otp. */
    static String verifyAuth(DevKeys keys, OtpTokens tokens) {
        return "Bearer " + DevTokens.mint(keys.privateKey(), "bench", tokens.domain, List.of("otp"), Duration.ofHours(2));
    }

    /**
     * Each token verifies its next code once. One that does not (a run that stopped half-way sent
     * codes it could not record) is resynchronised with two consecutive codes further on, as an
     * operator would; HOTP's resync window (1,000) covers that.
     *
     * @return accepted at once, resynchronised, failed
     */
    private static int[] preflight(String otp, String auth, OtpTokens tokens) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger resynced = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        EachToken.inParallel(i -> {
            long counter = tokens.next.get(i);
            if ("accepted".equals(result(verify(otp + "/api/v1/otp/verify", auth, tokens.user(i), tokens.code(i, counter)).body()))) {
                tokens.next.set(i, counter + 1);
                accepted.incrementAndGet();
                return;
            }
            long first = counter + RESYNC_SKIP;
            byte[] body = ("{\"userId\":\"" + tokens.user(i) + "\",\"serialNumber\":\"" + tokens.serial(i) + "\",\"first\":\""
                    + tokens.code(i, first) + "\",\"second\":\"" + tokens.code(i, first + 1) + "\"}").getBytes(StandardCharsets.UTF_8);
            BenchHttp.Reply reply = send("POST", otp + "/api/v1/otp/resync", auth, "application/json", body, 30_000);
            if (reply.status() == 200 && "accepted".equals(result(reply.body()))) {
                tokens.next.set(i, first + 2);
                resynced.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        });
        return new int[] {accepted.get(), resynced.get(), failed.get()};
    }

    /** The code token 0 had accepted last, sent again, must be refused. */
    static String replayCheck(String url, String auth, OtpTokens tokens) throws IOException {
        String answer = result(verify(url, auth, tokens.user(0), tokens.code(0, tokens.next.get(0) - 1)).body());
        if (!"rejected".equals(answer)) {
            throw new IllegalStateException("The replay check failed: a code accepted before was answered " + answer);
        }
        return answer;
    }

    private static BenchHttp.Reply verify(String url, String auth, String user, String code) throws IOException {
        return send("POST", url, auth, "application/json", OtpVerifier.body(user, code), 30_000);
    }

    private static String result(String body) {
        try {
            return JSON.readTree(body).path("result").asText("?");
        } catch (IOException e) {
            return "? (" + body + ")";
        }
    }
}
