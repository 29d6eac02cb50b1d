package org.countersign.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: the tenant domain and the scopes of the bearer token. Every query a service runs
 * is bounded by {@link #domain()}; only the {@code admin} scope may act for another domain. A
 * service's own admin scope ({@link #SERVICE_ADMIN_SCOPE}, e.g. {@code otp-admin}) grants its
 * operator endpoints in the caller's own domain only: {@link #actingDomain} refuses it another one,
 * as it does every scope but {@code admin}.
 */
@RequestScoped
public class Caller {

    /** The claim that names the caller's tenant. */
    public static final String DOMAIN_CLAIM = "domain";
    public static final String ADMIN_SCOPE = "admin";
    /**
     * The service's tenant-bound admin scope, {@code <service scope>-admin} by default
     * ({@code countersign.web.admin-scope}), as a property expression for {@code @RolesAllowed}.
     */
    public static final String SERVICE_ADMIN_SCOPE = "${countersign.web.admin-scope}";
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    private final JsonWebToken token;
    private final SecurityIdentity identity;

    public Caller(JsonWebToken token, SecurityIdentity identity) {
        this.token = token;
        this.identity = identity;
    }

    /** The caller's own domain; a token without a well-formed one is refused. */
    public String domain() {
        Object claim = token.getClaim(DOMAIN_CLAIM);
        String domain = claim == null ? null : claim.toString();
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            throw new ProblemException(ProblemType.NO_DOMAIN,
                    "The token must carry a '" + DOMAIN_CLAIM + "' claim with a lower-case domain name");
        }
        return domain;
    }

    /**
     * The domain a request acts on: the caller's own, or, for an admin, the one it names. Naming
     * another domain without the admin scope is refused rather than silently ignored.
     */
    public String actingDomain(String requested) {
        String own = domain();
        if (requested == null || requested.isBlank() || requested.equals(own)) {
            return own;
        }
        if (!hasScope(ADMIN_SCOPE)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the admin scope may act for another domain");
        }
        if (!DOMAIN.matcher(requested).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "Not a domain name: the domain must be lower case");
        }
        return requested;
    }

    public String subject() {
        return token.getSubject();
    }

    public Set<String> scopes() {
        return identity.getRoles();
    }

    public boolean hasScope(String scope) {
        return identity.hasRole(scope);
    }
}
