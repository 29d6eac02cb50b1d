package org.countersign.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.countersign.stack.Ports;

/** What runs and whether it is healthy; exits 0 only when everything is ready. */
final class StatusCommand {

    private final Workspace workspace;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    StatusCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run() {
        if (workspace.runningLauncher().isEmpty()) {
            System.out.println("Countersign is not running (data in " + workspace.dataDir() + "). Start it with ./countersign up.");
            return 3;
        }
        Properties state = workspace.readState();
        if (!"true".equals(state.getProperty("ready"))) {
            System.out.println("Countersign is starting (pid " + workspace.runningLauncher().get().pid() + ").");
            return 1;
        }
        boolean healthy = true;
        System.out.printf(Locale.ROOT, "%-14s %-8s %-8s %s%n", "component", "pid", "health", "where");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String port = state.getProperty("service." + spec.name() + ".port");
            String health = health(Integer.parseInt(port));
            healthy &= health.equals("UP");
            System.out.printf(Locale.ROOT, "%-14s %-8s %-8s http://localhost:%s%n", spec.name(),
                    state.getProperty("service." + spec.name() + ".pid"), health, port);
        }
        healthy &= infrastructure("Kafka", state.getProperty("kafka"));
        healthy &= infrastructure("PostgreSQL", state.getProperty("postgres"));
        healthy &= infrastructure("Redis", state.getProperty("redis"));
        System.out.println(healthy ? "All healthy." : "Something is unhealthy: see ./countersign logs SERVICE.");
        return healthy ? 0 : 1;
    }

    private boolean infrastructure(String name, String endpoint) {
        URI uri = URI.create(endpoint.contains("://") ? endpoint : "tcp://" + endpoint.split(",")[0]);
        boolean open = Ports.isOpen(uri.getHost(), uri.getPort());
        System.out.printf(Locale.ROOT, "%-14s %-8s %-8s %s%n", name, "", open ? "UP" : "DOWN", endpoint);
        return open;
    }

    private String health(int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? "UP" : "DOWN";
        } catch (IOException e) {
            return "DOWN";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "UNKNOWN";
        }
    }
}
