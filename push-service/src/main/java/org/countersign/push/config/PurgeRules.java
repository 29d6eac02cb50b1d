package org.countersign.push.config;

import jakarta.enterprise.inject.Produces;
import org.countersign.events.PurgeRule;

/** What libs/events' housekeeping deletes here: finished push requests and bulk jobs, some time after they ended. */
public class PurgeRules {

    @Produces
    PurgeRule finishedRequests(PushConfig config) {
        return new PurgeRule("push_requests", "expires_at", "status <> 'PENDING'", config.requests().retention());
    }

    @Produces
    PurgeRule finishedBulkJobs(PushConfig config) {
        return new PurgeRule("bulk_jobs", "finished_at", "status = 'DONE'", config.bulk().retention());
    }
}
