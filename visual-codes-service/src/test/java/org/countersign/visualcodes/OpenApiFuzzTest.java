package org.countersign.visualcodes;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.testing.OpenApiFuzzTests;
import org.countersign.web.ProblemKind;

/** Malformed requests to every endpoint of this service's OpenAPI (libs/testing `OpenApiFuzzTests`). */
@QuarkusTest
class OpenApiFuzzTest extends OpenApiFuzzTests {

    /** A seed that passed on the tree that set it (OpenApiFuzzTests#ciSeed; -Dcountersign.fuzz.seed=random explores). */
    @Override
    protected long ciSeed() {
        return -1491365609960371263L;
    }

    @Override
    protected List<Class<? extends ProblemKind>> problemKinds() {
        return List.of(VisualCodeProblem.class);
    }
}
