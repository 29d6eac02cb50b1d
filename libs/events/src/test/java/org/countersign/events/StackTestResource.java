package org.countersign.events;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.countersign.testing.CountersignStackResource;

@QuarkusTestResource(value = CountersignStackResource.class, initArgs = @ResourceArg(name = "service", value = "events"))
public class StackTestResource {
}
