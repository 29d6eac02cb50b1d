package org.countersign.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.countersign.stack.StackConfig;

/**
 * Where things are: the repository (for the service jars) and the data directory, with its run/
 * folder that tells other invocations (down, status, logs) what a running `up` started.
 */
record Workspace(Path repo, Path dataDir, Map<String, String> env) {

    static Workspace fromEnvironment() {
        Map<String, String> env = System.getenv();
        Path repo = Path.of(env.getOrDefault("COUNTERSIGN_HOME", ".")).toAbsolutePath().normalize();
        Path dataDir = StackConfig.fromEnvironment(env, repo.resolve(".countersign")).dataDir();
        return new Workspace(repo, dataDir, env);
    }

    StackConfig stackConfig() {
        return StackConfig.fromEnvironment(env, dataDir);
    }

    Path logs() {
        return dataDir.resolve("logs");
    }

    Path keys() {
        return dataDir.resolve("keys");
    }

    Path pidFile() {
        return dataDir.resolve("run").resolve("launcher.pid");
    }

    Path stateFile() {
        return dataDir.resolve("run").resolve("state.properties");
    }

    /** The pid of a live `up`, if one runs for this data directory. */
    Optional<ProcessHandle> runningLauncher() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    Properties readState() {
        Properties state = new Properties();
        if (Files.exists(stateFile())) {
            try (InputStream in = Files.newInputStream(stateFile())) {
                state.load(in);
            } catch (IOException e) {
                // An unreadable state file is the same as none.
            }
        }
        return state;
    }

    void writeState(Properties state) throws IOException {
        Files.createDirectories(stateFile().getParent());
        Path partial = stateFile().resolveSibling("state.properties.partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            state.store(out, "Written by ./countersign up; read by down, status and logs");
        }
        Files.move(partial, stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
