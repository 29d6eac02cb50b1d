package org.countersign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The figures the benchmarks read in a service's Prometheus text, as Micrometer writes it. */
class ServiceMetricsTest {

    private static final String METRICS = """
            # HELP jvm_gc_pause_seconds Time spent in GC pause
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 1.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.132
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 9.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.264
            # TYPE jvm_gc_pause_seconds_max gauge
            jvm_gc_pause_seconds_max{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.132
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.069
            jvm_gc_pause_seconds_count_other 100.0
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/api/v1/registrations/{registrationId}/pending-activation"} 7.0
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/api/v1/whoami"} 3.0
            http_server_requests_seconds_count{method="GET",outcome="CLIENT_ERROR",status="404",uri="/api/v1/registrations/{registrationId}/pending-activation"} 2.0
            process_uptime_seconds 12.5
            """;

    @Test
    void sum_addsEveryLabelSetOfTheSeries_andNoOtherSeries() {
        assertEquals(10.0, ServiceMetrics.sum(METRICS, "jvm_gc_pause_seconds_count", null), 1e-9);
        assertEquals(0.396, ServiceMetrics.sum(METRICS, "jvm_gc_pause_seconds_sum", null), 1e-9);
        assertEquals(12.5, ServiceMetrics.sum(METRICS, "process_uptime_seconds", null), 1e-9);
        assertEquals(0.0, ServiceMetrics.sum(METRICS, "jvm_gc_pause", null), 1e-9);
    }

    @Test
    void sum_withALabel_addsOnlyTheLabelSetsThatHaveIt() {
        assertEquals(9.0, ServiceMetrics.sum(METRICS, "http_server_requests_seconds_count",
                "uri=\"/api/v1/registrations/{registrationId}/pending-activation\""), 1e-9);
    }

    @Test
    void max_isTheLargestOverTheLabelSets() {
        assertEquals(0.132, ServiceMetrics.max(METRICS, "jvm_gc_pause_seconds_max"), 1e-9);
        assertEquals(0.0, ServiceMetrics.max(METRICS, "no_such_series"), 1e-9);
    }

    @Test
    void aValueThatIsNotANumber_makesTheSumUnknown() {
        assertTrue(Double.isNaN(ServiceMetrics.sum("broken_total{a=\"b\"} x\n", "broken_total", null)));
    }
}
