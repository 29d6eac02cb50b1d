package org.countersign.push;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.countersign.testing.CountersignStackResource;

/**
 * Every test of this module runs against the shared embedded stack, in a database of its own, with
 * the FCM and APNs fakes on loopback.
 */
@QuarkusTestResource(value = CountersignStackResource.class, initArgs = {
        @ResourceArg(name = "service", value = "push")})
@QuarkusTestResource(ProviderFakes.class)
public class StackTestResource {
}
