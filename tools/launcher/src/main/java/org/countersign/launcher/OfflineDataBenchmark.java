package org.countersign.launcher;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.countersign.protocol.OfflineBundle;
import org.countersign.protocol.OfflineKey;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * Offline authentication data (issue 18), with libs/protocol's own code, in this JVM: the time to
 * build a 7-day bundle and its size, and an agent's time for one offline check, each beside its own
 * limits measured in the same run: the PBKDF2 derivation of K_off alone, and the HMACs alone (a
 * bundle's HOTP and tag per step; a check's tag per candidate step). Each at 100,000 iterations
 * (protocol.md's floor) and at the default, so that the cost of the choice shows. The service adds one
 * online PIN+OTP check (one Argon2id, docs/otp.md) and a few database round trips to a bundle; it
 * needs no running suite.
 */
final class OfflineDataBenchmark implements BenchCommand.Benchmark {

    private static final OtpPolicy POLICY = OtpPolicy.DEFAULT;
    private static final int DAYS = 7;
    private static final int STEPS = DAYS * 86_400 / POLICY.periodSeconds();
    private static final int[] ITERATIONS = {OfflineKey.MIN_ITERATIONS, 600_000};
    private static final int WARM_UP = 5;
    private static final int RUNS = 7;
    private static final String PIN = "04711923";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return "offline-data";
    }

    @Override
    public String description() {
        return "build a 7-day offline bundle, and one offline check, beside PBKDF2 alone and the HMACs alone (no suite needed)";
    }

    @Override
    public boolean needsSuite() {
        return false;
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) {
        Secret otpKey = Secret.random(POLICY.keyLength());
        Secret pin = Secret.copyOf(PIN.getBytes(StandardCharsets.UTF_8));
        byte[] salt = new byte[OfflineBundle.SALT_LENGTH];
        long step = System.currentTimeMillis() / 1000 / POLICY.periodSeconds();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("steps in a 7-day bundle (totp:sha1:6:30)", STEPS);
        figures.put("runs (median of, after warm-up)", RUNS + " (" + WARM_UP + ")");
        // The JIT first: otherwise the first figures measure compilation.
        time(() -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, otpKey, pin, step, STEPS, OfflineKey.MIN_ITERATIONS));
        for (int iterations : ITERATIONS) {
            String at = " @" + iterations;
            Secret offlineKey = OfflineKey.derive(pin, salt, iterations);
            OfflineBundle bundle = OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, otpKey, pin, step, STEPS, iterations);
            byte[] typed = (PIN + org.countersign.protocol.Otp.at(POLICY, otpKey, step + 1)).getBytes(StandardCharsets.UTF_8);

            Timing build = time(() -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, otpKey, pin, step, STEPS, iterations));
            Timing derive = time(() -> OfflineKey.derive(pin, salt, iterations));
            Timing hmacs = time(() -> OfflineBundle.tags(offlineKey, "laptop-1", POLICY, otpKey, step, STEPS));
            Timing check = time(() -> bundle.check(Secret.copyOf(typed), (step + 1) * POLICY.periodSeconds(), s -> false));
            Timing checkHmacs = time(() -> {
                for (long s = step; s <= step + 2; s++) {
                    OfflineBundle.tag(offlineKey, "laptop-1", s, "123456");
                }
                return null;
            });
            figures.put("bundle: build, CPU ms" + at, build.cpu());
            figures.put("bundle: PBKDF2 alone, CPU ms" + at, derive.cpu());
            figures.put("bundle: " + STEPS + " HOTP + tag HMACs alone, CPU ms" + at, hmacs.cpu());
            figures.put("bundle: dominated by" + at, derive.cpuMillis() >= hmacs.cpuMillis()
                    ? String.format(Locale.ROOT, "PBKDF2 (%.0f %% of build)", 100 * derive.cpuMillis() / build.cpuMillis())
                    : String.format(Locale.ROOT, "HMACs (%.0f %% of build)", 100 * hmacs.cpuMillis() / build.cpuMillis()));
            figures.put("bundle: JSON bytes" + at, bundle.toJson().getBytes(StandardCharsets.UTF_8).length);
            figures.put("agent check: CPU ms" + at, check.cpu());
            figures.put("agent check: PBKDF2 alone, CPU ms" + at, derive.cpu());
            figures.put("agent check: 3 tag HMACs alone, CPU ms" + at, checkHmacs.cpu());
            figures.put("agent check: wall ms (median)" + at, check.wall());
            figures.put("PIN guesses per core-second against a stolen bundle (this CPU)" + at,
                    String.format(Locale.ROOT, "%.1f", 1000 / derive.cpuMillis()));
            offlineKey.destroy();
        }
        figures.put("default iterations (countersign.otp.offline.iterations)", 600_000);
        return figures;
    }

    /** Median thread CPU time and wall time of one call, after a warm-up. */
    private record Timing(double cpuMillis, double wallMillis) {
        String cpu() {
            return String.format(Locale.ROOT, "%.2f", cpuMillis);
        }

        String wall() {
            return String.format(Locale.ROOT, "%.2f", wallMillis);
        }
    }

    private Timing time(Supplier<?> work) {
        for (int i = 0; i < WARM_UP; i++) {
            work.get();
        }
        double[] cpu = new double[RUNS];
        double[] wall = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            work.get();
            wall[i] = (System.nanoTime() - wallStart) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        return new Timing(cpu[RUNS / 2], wall[RUNS / 2]);
    }
}
