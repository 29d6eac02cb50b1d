package org.countersign.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * How many times provisioning-service asked registration-service for a registration over a window: the
 * add-device fallback, taken when a device calls before RegistrationPending has reached provisioning
 * (then the event is applied as well). Counted from registration-service's own request metrics, so the
 * figure is the service's, whatever the bench believes it did.
 */
final class FallbackCalls implements ClosedLoop.Window {

    private static final String COUNTER = "http_server_requests_seconds_count{";
    private static final String URI_LABEL = "uri=\"/api/v1/registrations/{registrationId}/pending-activation\"";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI metrics;
    private double atOpen = Double.NaN;
    private double atClose = Double.NaN;

    FallbackCalls(int registrationManagementPort) {
        this.metrics = URI.create("http://127.0.0.1:" + registrationManagementPort + "/q/metrics");
    }

    @Override
    public void opened() {
        atOpen = read();
    }

    @Override
    public void closed() {
        atClose = read();
    }

    /** The calls in the window, against the add-device requests the bench made in it. */
    String describe(int addDevices) {
        if (Double.isNaN(atOpen) || Double.isNaN(atClose)) {
            return "unknown (registration-service's metrics could not be read)";
        }
        long calls = Math.round(atClose - atOpen);
        return String.format(Locale.ROOT, "%.1f %% (%d of %d add devices)",
                addDevices == 0 ? 0.0 : 100.0 * calls / addDevices, calls, addDevices);
    }

    private double read() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            double total = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith(COUNTER) && line.contains(URI_LABEL)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
