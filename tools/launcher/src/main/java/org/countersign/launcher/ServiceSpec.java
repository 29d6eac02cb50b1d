package org.countersign.launcher;

import java.nio.file.Path;
import java.util.List;

/** One of the five services: its name, default port and which stores it uses. */
record ServiceSpec(String name, int defaultPort, boolean postgres, boolean redis, boolean kafka) {

    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("registration", 8081, true, false, true),
            new ServiceSpec("provisioning", 8082, true, true, true),
            new ServiceSpec("visual-codes", 8083, false, false, false),
            new ServiceSpec("otp", 8084, true, true, true),
            new ServiceSpec("push", 8085, true, true, true));

    String module() {
        return name + "-service";
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
