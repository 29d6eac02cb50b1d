package org.countersign.stack;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Native servers must never outlive the JVM that started them, even when it is killed with SIGKILL
 * and no shutdown hook runs. A watchdog is a tiny shell whose standard input is a pipe that only the
 * parent JVM holds: when the parent dies the pipe closes, and the shell runs the stop command.
 */
public final class Watchdog implements AutoCloseable {

    private final Process shell;

    private Watchdog(Process shell) {
        this.shell = shell;
    }

    /** @param stopCommand a shell command; $1 is {@code argument} */
    public static Watchdog guard(String stopCommand, String argument) {
        try {
            Process shell = new ProcessBuilder("/bin/sh", "-c",
                    "while read -r _; do :; done; " + stopCommand, "countersign-watchdog", argument)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Watchdog(shell);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a watchdog", e);
        }
    }

    /** Dismisses the watchdog without running its stop command: the server was stopped properly. */
    @Override
    public void close() {
        shell.destroyForcibly();
        try {
            shell.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
