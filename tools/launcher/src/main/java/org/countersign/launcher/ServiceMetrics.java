package org.countersign.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A service's Prometheus metrics, from its management port, and the figures the benchmarks read in them. */
final class ServiceMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceMetrics() {
    }

    /** The metrics text of the service whose management port this is, or null when it cannot be read. */
    static String read(int managementPort) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of the series {@code name} over every label set that contains {@code label} (null: every one). */
    static double sum(String metrics, String name, String label) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (isSeries(line, name) && (label == null || line.contains(label))) {
                total += value(line);
            }
        }
        return total;
    }

    /** The largest value of the series {@code name} over its label sets; 0 when there is none. */
    static double max(String metrics, String name) {
        double max = 0;
        for (String line : metrics.split("\n")) {
            if (isSeries(line, name)) {
                max = Math.max(max, value(line));
            }
        }
        return max;
    }

    private static boolean isSeries(String line, String name) {
        return line.startsWith(name) && line.length() > name.length()
                && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ');
    }

    private static double value(String line) {
        try {
            return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
