package org.countersign.provisioning;

import org.countersign.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The layout rules of a service (libs/testing ArchitectureRules), on this service's classes. */
class ArchitectureTest {

    @Test
    void layout_rulesOfEveryService_hold() {
        ArchitectureRules.checkService("org.countersign.provisioning");
    }
}
