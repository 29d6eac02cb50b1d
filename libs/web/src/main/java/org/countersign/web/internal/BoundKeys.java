package org.countersign.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersign.web.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Signing keys that may speak for some domains only ({@code countersign.web.bound-keys}, entries
 * {@code <kid>@<domain>}): the portal signs its own tokens, and its key sits in the JWKS every service
 * trusts beside the identity provider's. Unbound, a portal's key (stolen, or its pod taken over) could
 * sign a token for any tenant with any scope. A token whose header names a bound key id is refused unless
 * its domain is one of the key's, and whatever its domain, when it claims {@code admin} (acting for other
 * domains), which no such signer needs. Key ids not listed are not restricted: the identity provider's.
 */
final class BoundKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Set<String>> domainsByKeyId;

    private BoundKeys(Map<String, Set<String>> domainsByKeyId) {
        this.domainsByKeyId = domainsByKeyId;
    }

    static BoundKeys of(Optional<List<String>> entries) {
        Map<String, Set<String>> domains = new HashMap<>();
        for (String entry : entries.orElse(List.of())) {
            int at = entry.lastIndexOf('@');
            if (at <= 0 || at == entry.length() - 1) {
                throw new IllegalArgumentException("countersign.web.bound-keys: '" + entry + "' is not <key id>@<domain>");
            }
            domains.computeIfAbsent(entry.substring(0, at).trim(), kid -> new HashSet<>()).add(entry.substring(at + 1).trim());
        }
        return new BoundKeys(Map.copyOf(domains));
    }

    /** The token as it verified, or a refusal when its key may not speak for its domain or scopes. */
    JsonWebToken check(JsonWebToken token) throws ParseException {
        if (domainsByKeyId.isEmpty()) {
            return token;
        }
        Set<String> domains = domainsByKeyId.get(keyId(token.getRawToken()));
        if (domains == null) {
            return token;
        }
        Object domain = token.getClaim(Caller.DOMAIN_CLAIM);
        if (domain == null || !domains.contains(domain.toString())) {
            throw new ParseException("The token's signing key may not speak for its domain");
        }
        if (token.getGroups().contains(Caller.ADMIN_SCOPE)) {
            throw new ParseException("The token's signing key may not grant the admin scope");
        }
        return token;
    }

    /** The header's key id (the signature already verified, so the header is the signer's). */
    private static String keyId(String rawToken) throws ParseException {
        int dot = rawToken.indexOf('.');
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(rawToken.substring(0, Math.max(dot, 0))));
            return header.path("kid").asText(null);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParseException("The token's header is not JSON", e);
        }
    }
}
