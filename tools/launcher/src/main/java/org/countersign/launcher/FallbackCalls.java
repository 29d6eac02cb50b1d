package org.countersign.launcher;

import java.util.Locale;

/**
 * How many times provisioning-service asked registration-service for a registration over a window: the
 * add-device fallback, taken when a device calls before RegistrationPending has reached provisioning
 * (then the event is applied as well). Counted from registration-service's own request metrics, so the
 * figure is the service's, whatever the bench believes it did.
 */
final class FallbackCalls implements ClosedLoop.Window {

    private static final String COUNTER = "http_server_requests_seconds_count";
    private static final String URI_LABEL = "uri=\"/api/v1/registrations/{registrationId}/pending-activation\"";

    private final int managementPort;
    private double atOpen = Double.NaN;
    private double atClose = Double.NaN;

    FallbackCalls(int registrationManagementPort) {
        this.managementPort = registrationManagementPort;
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
        String text = ServiceMetrics.read(managementPort);
        return text == null ? Double.NaN : ServiceMetrics.sum(text, COUNTER, URI_LABEL);
    }
}
