package org.countersign.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port checks. */
public final class Ports {

    private static final int LOWEST = 15_000;
    /** Read once: the kernel's range does not move under a running JVM. */
    private static final int[] BELOW_EPHEMERAL = belowEphemeralRange();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port that is free right now on loopback, and that this JVM has not handed out before. On Linux it is
     * taken below the kernel's ephemeral range (and 1,000 below it, for a management port at the port plus
     * 1,000): a port the kernel chose, released and passed on could be taken meanwhile by any outgoing
     * connection as its local port (a CI run lost a service's start to that), while a port outside the range
     * can only be taken by another process binding it on purpose.
     */
    public static int free() {
        if (BELOW_EPHEMERAL != null) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = random.nextInt(BELOW_EPHEMERAL[0], BELOW_EPHEMERAL[1]);
                if (HANDED_OUT.add(port) && bindable(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("No free loopback port", e);
        }
    }

    /** [from, to) below Linux's ephemeral ports and 1,000 more; null where that is unknown or too narrow. */
    static int[] belowEphemeralRange() {
        try {
            String[] bounds = ephemeralRange().trim().split("\\s+");
            int to = Integer.parseInt(bounds[0]) - 1_000;
            return to - LOWEST >= 2_000 ? new int[] {LOWEST, to} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The kernel's "from to", read through a buffer: a sysctl file answers only the read at offset 0, and
     * {@code Files.readString} (which sizes its first read by the file's reported size, 0 here) got one byte
     * of it, so that for a while every port came from the ephemeral range after all.
     */
    static String ephemeralRange() throws IOException {
        return Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** {@code preferred} when it is free on loopback right now, any free port otherwise. */
    public static int preferredOrFree(int preferred) {
        return preferred > 0 && preferred <= 65535 && bindable(preferred) ? preferred : free();
    }

    /** Fails with a message that names the port, its user and the variable that moves it. */
    public static void requireFree(int port, String what, String variable) {
        if (!bindable(port)) {
            throw new StackException("Port " + port + " (" + what + ") is already in use. Stop what holds it"
                    + " (is another ./countersign up running?) or choose another port with " + variable + "=<port>.");
        }
    }

    public static boolean isOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void awaitOpen(String host, int port, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!isOpen(host, port)) {
            if (Instant.now().isAfter(deadline)) {
                throw new StackException(what + " did not open port " + port + " within " + timeout.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(50));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }
}
