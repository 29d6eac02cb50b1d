package org.countersign.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** Stops a running `up` from another terminal and makes sure nothing it started survives. */
final class DownCommand {

    private final Workspace workspace;

    DownCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run() {
        Properties state = workspace.readState();
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (String key : state.stringPropertyNames()) {
            if (key.endsWith(".pid") || key.equals("stack.pids")) {
                for (String pid : state.getProperty(key).split(",")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).filter(ProcessHandle::isAlive).ifPresent(leftovers::add);
                    }
                }
            }
        }
        Optional<ProcessHandle> launcher = workspace.runningLauncher();
        if (launcher.isEmpty() && leftovers.isEmpty()) {
            System.out.println("Countersign is not running (data in " + workspace.dataDir() + ").");
            return 0;
        }
        launcher.ifPresent(handle -> {
            System.out.println("Stopping Countersign (pid " + handle.pid() + ")...");
            handle.destroy();
            await(handle, Duration.ofSeconds(90));
        });
        for (ProcessHandle process : leftovers) {
            if (process.isAlive()) {
                System.out.println("Killing leftover process " + process.pid());
                process.destroyForcibly();
                await(process, Duration.ofSeconds(10));
            }
        }
        System.out.println("Stopped.");
        return 0;
    }

    private static void await(ProcessHandle process, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
