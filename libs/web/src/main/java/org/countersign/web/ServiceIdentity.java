package org.countersign.web;

import io.smallrye.config.ConfigMapping;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** What libs/web needs to know about the service it runs in, under {@code countersign.web}. */
@ConfigMapping(prefix = "countersign.web")
public interface ServiceIdentity {

    /** The service's short name, as in its scope and its schema, e.g. {@code registration}. */
    @WithName("service")
    String name();

    /** The scope a token needs for this service's endpoints (besides {@code admin}). */
    String scope();

    /**
     * The scope of this service's operator endpoints in the caller's own domain only (a tenant's
     * helpdesk); {@code <scope>-admin} by default. Unlike {@code admin}, it never acts for another domain.
     */
    String adminScope();

    /** The largest body of any request but an upload; JSON is parsed whole, so it stays small. */
    @WithDefault("64K")
    MemorySize maxBodySize();

    /**
     * The paths that take large uploads (an image, a PSKC file): their bodies may go up to
     * {@code quarkus.http.limits.max-body-size}, which the service raises for them.
     */
    Optional<List<String>> uploadPaths();

    /**
     * Signing keys that speak for some domains only, {@code <kid>@<domain>} (a key id may appear once per
     * domain): a token whose header names one is refused unless its domain is one of the key's, and when it
     * claims {@code admin}. The portal's key, which sits in the JWKS beside the identity provider's.
     */
    Optional<List<String>> boundKeys();
}
