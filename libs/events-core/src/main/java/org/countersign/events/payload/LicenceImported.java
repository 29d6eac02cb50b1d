package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * Licences were added to a tenant's inventory (no token secret is ever in this event).
 *
 * @param domain The tenant
 * @param source Where they came from
 * @param serialNumbers The serial numbers imported
 * @param importedAt When
 */
public record LicenceImported(
        String domain,
        String source,
        java.util.List<String> serialNumbers,
        Instant importedAt) {

    public static final EventType TYPE = new EventType("org.countersign.licence.licence-imported.v1", Topics.REGISTRATIONS);
}
