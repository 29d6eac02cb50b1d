package org.countersign.portal;

import org.countersign.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The layout rules of a service (libs/testing ArchitectureRules), on the portal's classes. */
class ArchitectureTest {

    @Test
    void layers_entities_transactions_followTheRules() {
        ArchitectureRules.checkService("org.countersign.portal");
    }
}
