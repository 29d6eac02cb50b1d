package org.countersign.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.countersign.stack.DevCertificateAuthority;
import org.countersign.stack.DevKeys;
import org.countersign.stack.EmbeddedStack;
import org.countersign.stack.StackConfig;

/**
 * One embedded stack per test JVM, started on first use on free ports in a temporary directory and
 * stopped when the JVM exits. Every Quarkus restart (test profiles) reuses it.
 */
public final class SharedStack {

    private static EmbeddedStack stack;
    private static DevKeys keys;

    private SharedStack() {
    }

    public static synchronized EmbeddedStack get() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("countersign-test-stack-");
                EmbeddedStack started = EmbeddedStack.start(StackConfig.ephemeral(dir));
                stack = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteQuietly(dir);
                }, "test-stack-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }

    /** The token key pair the services under test trust; it needs no running stack. */
    public static synchronized DevKeys keys() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("countersign-test-keys-");
                keys = DevKeys.in(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "test-keys-cleanup"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** The development CA that issues device certificates in tests, kept beside the token keys. */
    public static synchronized DevCertificateAuthority deviceCa() {
        return DevCertificateAuthority.in(keys().publicKey().getParent());
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
