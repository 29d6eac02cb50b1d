package org.countersign.otp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.countersign.testing.CountersignStackResource;

/** Every test of this module runs against the shared embedded stack, in a database of its own. */
@QuarkusTestResource(value = CountersignStackResource.class, initArgs = {
        @ResourceArg(name = "service", value = "otp")})
public class StackTestResource {
}
