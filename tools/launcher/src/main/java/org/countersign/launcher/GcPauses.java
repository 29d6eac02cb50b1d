package org.countersign.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The services' garbage-collection pauses over a window, from their own metrics (Micrometer's
 * {@code jvm_gc_pause_seconds}): how many, how long in all, and the longest the services saw lately. A
 * step's p99 that jumps while its p50 stays put is a stall of something the steps share, and a pause
 * is the first thing to rule in or out.
 */
final class GcPauses implements ClosedLoop.Window {

    private static final String COUNT = "jvm_gc_pause_seconds_count";
    private static final String SUM = "jvm_gc_pause_seconds_sum";
    private static final String MAX = "jvm_gc_pause_seconds_max";
    /** Micrometer's label for a pause of the old generation, whichever the collector. */
    private static final String MAJOR = "action=\"end of major GC\"";

    private final Map<String, Integer> managementPorts;
    private final Map<String, Reading> atOpen = new LinkedHashMap<>();
    private final Map<String, Reading> atClose = new LinkedHashMap<>();

    /** One service's totals since it started, and its maximum lately (seconds). */
    private record Reading(double pauses, double seconds, double longest, double majors, double majorSeconds) {
    }

    /** @param managementPorts the management port of each service, by the name the figures give it */
    GcPauses(Map<String, Integer> managementPorts) {
        this.managementPorts = Map.copyOf(managementPorts);
    }

    @Override
    public void opened() {
        read(atOpen);
    }

    @Override
    public void closed() {
        read(atClose);
    }

    /**
     * For example "otp-service 1 pause 10 ms, provisioning-service 4 pauses 324 ms (1 major, 300 ms),
     * registration-service 2 pauses 8 ms; the longest lately 300 ms, provisioning-service's" (lately: about
     * the last two minutes, over which Micrometer's maximum decays, so it may come from before the window).
     */
    String summary() {
        List<String> parts = new ArrayList<>();
        double longest = 0;
        String longestOf = null;
        for (String service : managementPorts.keySet().stream().sorted().toList()) {
            Reading open = atOpen.get(service);
            Reading close = atClose.get(service);
            if (open == null || close == null) {
                parts.add(service + " unknown");
                continue;
            }
            long pauses = Math.round(close.pauses() - open.pauses());
            long majors = Math.round(close.majors() - open.majors());
            parts.add(String.format(Locale.ROOT, "%s %d pause%s %.0f ms", service, pauses, pauses == 1 ? "" : "s",
                    (close.seconds() - open.seconds()) * 1000) + (majors == 0 ? ""
                    : String.format(Locale.ROOT, " (%d major, %.0f ms)", majors, (close.majorSeconds() - open.majorSeconds()) * 1000)));
            if (close.longest() > longest) {
                longest = close.longest();
                longestOf = service;
            }
        }
        return String.join(", ", parts) + (longestOf == null ? ""
                : String.format(Locale.ROOT, "; the longest lately %.0f ms, %s's", longest * 1000, longestOf));
    }

    private void read(Map<String, Reading> into) {
        into.clear();
        managementPorts.forEach((service, port) -> {
            String metrics = ServiceMetrics.read(port);
            if (metrics != null) {
                into.put(service, new Reading(ServiceMetrics.sum(metrics, COUNT, null), ServiceMetrics.sum(metrics, SUM, null),
                        ServiceMetrics.max(metrics, MAX), ServiceMetrics.sum(metrics, COUNT, MAJOR), ServiceMetrics.sum(metrics, SUM, MAJOR)));
            }
        });
    }
}
