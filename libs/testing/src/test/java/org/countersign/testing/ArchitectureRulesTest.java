package org.countersign.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The layout rules fail on a sample service that breaks each of them on purpose. */
class ArchitectureRulesTest {

    @Test
    void brokenSample_everyRuleReportsItsViolation() {
        String sample = "org.countersign.testing.archsample";
        AssertionError error = assertThrows(AssertionError.class, () -> ArchitectureRules.checkService(sample,
                Path.of("src/test/java"), new ClassFileImporter().importPackages(sample)));
        String report = error.getMessage();
        assertTrue(report.contains("service/SampleService.java (service) imports " + sample + ".events.SampleConsumer"),
                "a constant taken from a consumer, seen in the source: " + report);
        assertTrue(report.contains("SampleResource") && report.contains("SampleRepository"),
                "a resource reading a repository: " + report);
        assertTrue(report.contains("answers the entity " + sample + ".domain.SampleEntity"), "an entity answered: " + report);
    }
}
