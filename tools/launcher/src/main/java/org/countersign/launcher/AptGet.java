package org.countersign.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersign.stack.StackException;

/**
 * Debian's apt-get, for the load tools the benchmarks bring when they are missing (pgbench, wrk): as
 * root, or through sudo that needs no password; otherwise the run stops and says how to get the tool.
 */
final class AptGet {

    private final List<String> sudo;

    private AptGet(List<String> sudo) {
        this.sudo = sudo;
    }

    /**
     * apt-get as this user may run it.
     *
     * @param tool what is missing, for the message
     * @param how  how to get it by hand, for the message
     */
    static AptGet forMissing(String tool, String how) {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new StackException(tool + " is missing and this is not a Debian system: " + how);
        }
        List<String> sudo = new ArrayList<>();
        if (!"0".equals(output(List.of("id", "-u")).trim())) {
            if (!Files.isExecutable(Path.of("/usr/bin/sudo")) || exit(List.of("sudo", "-n", "true")) != 0) {
                throw new StackException(tool + " is missing and installing it needs root (or sudo without a password): " + how);
            }
            sudo.add("sudo");
            sudo.add("-n");
        }
        return new AptGet(sudo);
    }

    /**
     * The binary a variable names (it must be executable), when it names one: the way to point a
     * benchmark at a tool elsewhere.
     */
    static java.util.Optional<Path> configured(java.util.Map<String, String> env, String variable) {
        String configured = env.get(variable);
        if (configured == null || configured.isBlank()) {
            return java.util.Optional.empty();
        }
        Path path = Path.of(configured.trim());
        if (!Files.isExecutable(path)) {
            throw new StackException(variable + " names " + path + ", which is not an executable");
        }
        return java.util.Optional.of(path);
    }

    /** The first executable of that name on the PATH. */
    static java.util.Optional<Path> onPath(java.util.Map<String, String> env, String name) {
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path path = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(path)) {
                return java.util.Optional.of(path);
            }
        }
        return java.util.Optional.empty();
    }

    void run(String... args) {
        List<String> command = new ArrayList<>(sudo);
        command.add("apt-get");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new StackException(String.join(" ", command) + " failed:\n" + out.strip());
            }
        } catch (IOException e) {
            throw new StackException("Cannot run apt-get: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while running apt-get");
        }
    }

    /** What a command printed (standard output and error), or "" when it could not run. */
    static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int exit(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
