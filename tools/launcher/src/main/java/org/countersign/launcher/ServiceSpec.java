package org.countersign.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * One of the six deployables: its name, Maven module, default port and which stores it uses. The portal is
 * the one web application: it calls the five services and verifies no bearer tokens itself.
 */
record ServiceSpec(String name, String module, int defaultPort, boolean postgres, boolean redis, boolean kafka) {

    static final String PORTAL = "portal";

    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("registration", "registration-service", 8081, true, false, true),
            new ServiceSpec("provisioning", "provisioning-service", 8082, true, true, true),
            new ServiceSpec("visual-codes", "visual-codes-service", 8083, false, false, false),
            new ServiceSpec("otp", "otp-service", 8084, true, true, true),
            new ServiceSpec("push", "push-service", 8085, true, true, true),
            new ServiceSpec(PORTAL, "portal", 8086, false, true, false));

    /** The portal: pages for people, no API of its own. */
    boolean isPortal() {
        return PORTAL.equals(name);
    }

    /** COUNTERSIGN_REGISTRATION_PORT and so on. */
    String portVariable() {
        return "COUNTERSIGN_" + name.toUpperCase().replace('-', '_') + "_PORT";
    }

    Path jar(Path repo) {
        return repo.resolve(module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static ServiceSpec named(String name) {
        for (ServiceSpec spec : ALL) {
            if (spec.name.equals(name) || spec.module().equals(name)) {
                return spec;
            }
        }
        return null;
    }
}
