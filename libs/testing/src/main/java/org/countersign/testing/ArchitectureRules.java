package org.countersign.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The layout rules of a service (README, "Layout"), checked by each service's {@code ArchitectureTest}:
 * <ul>
 *   <li>{@code rest} calls {@code service}; {@code service} uses {@code repository}, {@code domain} and
 *       {@code client}; {@code events} (consumers) may call {@code service} and {@code repository}; nothing
 *       calls {@code rest} or {@code events}, so {@code service} never reaches into a consumer, not even
 *       for a constant;</li>
 *   <li>an entity never leaves the service layer in a REST answer: no resource method returns one, bare
 *       or inside {@code Uni}, {@code List} or any other type argument;</li>
 *   <li>{@code @WithTransaction} and {@code @WithSession} are never on a private method, where Quarkus
 *       cannot intercept them and the method would silently run without its transaction.</li>
 * </ul>
 * Module-level rules (no service depends on another, libs/secrets and libs/protocol on no framework,
 * libs/events not on libs/protocol, libs/stack not on libs/testing) are Maven enforcer rules in the poms.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Which layers each layer may use; a layer always uses itself, and anything may use {@code config}. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "rest", Set.of("service", "domain", "config"),
            "service", Set.of("repository", "domain", "client", "config"),
            "repository", Set.of("domain", "config"),
            "events", Set.of("service", "repository", "domain", "config"),
            "client", Set.of("domain", "config"),
            "domain", Set.of("config"),
            "config", Set.of("domain"));

    /**
     * Checks every rule on the main classes of one service, e.g. {@code org.countersign.otp}, and the
     * layer rule once more on its sources, from {@code src/main/java} of the module under test.
     */
    public static void checkService(String servicePackage) {
        checkService(servicePackage, Path.of("src/main/java"), new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(servicePackage));
    }

    static void checkService(String servicePackage, Path sources, JavaClasses classes) {
        List<String> failures = new ArrayList<>(sourceImports(servicePackage, sources));
        for (ArchRule rule : List.of(layers(servicePackage), noEntityInRestAnswers(servicePackage), noPrivateTransactions())) {
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.addAll(result.getFailureReport().getDetails());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("The layout rules of " + servicePackage + " are broken:\n  " + String.join("\n  ", failures));
        }
    }

    /**
     * The layer rule on import lines: a {@code static final} constant is copied into the class that
     * uses it, so the bytecode no longer shows that a service class took it from a consumer.
     */
    static List<String> sourceImports(String servicePackage, Path sources) {
        Path root = sources.resolve(servicePackage.replace('.', '/'));
        List<String> failures = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return failures;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String layer = root.relativize(file).getName(0).toString();
                Set<String> allowed = MAY_USE.get(layer);
                if (allowed == null) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    String trimmed = line.strip();
                    if (!trimmed.startsWith("import ")) {
                        continue;
                    }
                    String imported = trimmed.substring("import ".length()).replace("static ", "");
                    if (imported.startsWith(servicePackage + ".")) {
                        String used = imported.substring(servicePackage.length() + 1).split("\\.")[0];
                        if (!used.equals(layer) && MAY_USE.containsKey(used) && !allowed.contains(used)) {
                            failures.add(root.relativize(file) + " (" + layer + ") imports " + imported + " (" + used + ")");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failures;
    }

    static ArchRule layers(String p) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("rest").definedBy(p + ".rest..")
                .layer("service").definedBy(p + ".service..")
                .layer("repository").definedBy(p + ".repository..")
                .layer("domain").definedBy(p + ".domain..")
                .layer("events").definedBy(p + ".events..")
                .layer("client").definedBy(p + ".client..")
                .layer("config").definedBy(p + ".config..")
                .whereLayer("rest").mayNotBeAccessedByAnyLayer()
                .whereLayer("events").mayNotBeAccessedByAnyLayer()
                .whereLayer("service").mayOnlyBeAccessedByLayers("rest", "events")
                .whereLayer("repository").mayOnlyBeAccessedByLayers("service", "events")
                .whereLayer("client").mayOnlyBeAccessedByLayers("service")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("rest", "service", "repository", "events", "client", "config")
                .allowEmptyShould(true);
    }

    static ArchRule noEntityInRestAnswers(String p) {
        return methods().that().areDeclaredInClassesThat().resideInAPackage(p + ".rest..")
                .should(new ArchCondition<JavaMethod>("not return an entity, bare or as a type argument") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        List<String> entities = new ArrayList<>();
                        collectEntities(method.getReturnType(), entities);
                        if (!entities.isEmpty()) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName() + " answers the entity "
                                    + String.join(", ", entities) + ": map it to a response record"));
                        }
                    }
                }).allowEmptyShould(true);
    }

    private static void collectEntities(JavaType type, List<String> found) {
        JavaClass raw = type.toErasure();
        if (raw.isAnnotatedWith("jakarta.persistence.Entity")) {
            found.add(raw.getName());
        }
        if (type instanceof JavaParameterizedType parameterized) {
            parameterized.getActualTypeArguments().forEach(argument -> collectEntities(argument, found));
        }
    }

    static ArchRule noPrivateTransactions() {
        DescribedPredicate<JavaMethod> transactional = new DescribedPredicate<>("annotated @WithTransaction or @WithSession") {
            @Override
            public boolean test(JavaMethod method) {
                return method.isAnnotatedWith("io.quarkus.hibernate.reactive.panache.common.WithTransaction")
                        || method.isAnnotatedWith("io.quarkus.hibernate.reactive.panache.common.WithSession");
            }
        };
        return methods().that(transactional).should(new ArchCondition<JavaMethod>("not be private") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                if (method.getModifiers().contains(JavaModifier.PRIVATE)) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName()
                            + " is private: Quarkus cannot intercept it, so it would run without its transaction"));
                }
            }
        }).allowEmptyShould(true);
    }
}
