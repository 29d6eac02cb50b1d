package org.countersign.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** What libs/web needs to know about the service it runs in. */
@ConfigMapping(prefix = "countersign.web")
public interface ServiceIdentity {

    /** The service's short name, as in its scope and its schema, e.g. {@code registration}. */
    @WithName("service")
    String name();

    /** The scope a token needs for this service's endpoints (besides {@code admin}). */
    String scope();
}
