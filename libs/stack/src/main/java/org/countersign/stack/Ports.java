package org.countersign.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Loopback port checks. */
public final class Ports {

    private Ports() {
    }

    /** A port that is free right now on loopback. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("No free loopback port", e);
        }
    }

    /** {@code preferred} when it is free on loopback right now, any free port otherwise. */
    public static int preferredOrFree(int preferred) {
        if (preferred > 0 && preferred <= 65535) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), preferred));
                return preferred;
            } catch (IOException taken) {
                // any free port will do
            }
        }
        return free();
    }

    /** Fails with a message that names the port, its user and the variable that moves it. */
    public static void requireFree(int port, String what, String variable) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
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
