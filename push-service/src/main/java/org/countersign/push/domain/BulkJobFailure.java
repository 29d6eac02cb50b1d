package org.countersign.push.domain;

/** One item of a bulk job that failed, as the job's report shows it: its position in the request, and why. */
public record BulkJobFailure(int position, String userId, String reason) {
}
