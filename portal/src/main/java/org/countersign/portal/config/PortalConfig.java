package org.countersign.portal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the portal, under {@code countersign.portal}. */
@ConfigMapping(prefix = "countersign.portal")
public interface PortalConfig {

    /** The tenant this portal serves: its users sign in here, and its service token names this domain. */
    String domain();

    /** The name the pages show, e.g. the bank's. */
    @WithDefault("Countersign")
    String title();

    /**
     * Authenticator types whose free licences a user may take from the domain's stock (e.g. mobile-app),
     * besides the licences assigned to them; none by default.
     */
    Optional<List<String>> freeLicenceTypes();

    ServiceToken serviceToken();

    Services services();

    Session session();

    Images images();

    /** The bearer tokens the portal signs for its own calls to the services (docs/security.md). */
    interface ServiceToken {
        /** The PKCS#8 PEM private key (RS256) whose public half the services trust; a file path or URL. */
        String keyLocation();

        /** The {@code iss} claim: the issuer the services accept (COUNTERSIGN_JWT_ISSUER). */
        String issuer();

        /** The {@code aud} claim (COUNTERSIGN_JWT_AUDIENCE). */
        String audience();

        /** The {@code sub} claim: who is calling, as the services' logs show it. */
        @WithDefault("countersign-portal")
        String subject();

        /** The {@code kid} header, so that a JWKS with several keys finds this one. */
        @WithDefault("countersign-portal")
        String keyId();

        /** The scopes asked for: the services' own, and push-admin for the push-service's device list. */
        @WithDefault("registration provisioning visual-codes otp push push-admin")
        String scopes();

        /** How long a token lives; a new one is signed when less than a fifth of that is left. */
        @WithDefault("5m")
        Duration ttl();
    }

    /** Where the services are. */
    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        String registrationUrl();

        @WithDefault("http://127.0.0.1:8082")
        String provisioningUrl();

        @WithDefault("http://127.0.0.1:8083")
        String visualCodesUrl();

        @WithDefault("http://127.0.0.1:8084")
        String otpUrl();

        @WithDefault("http://127.0.0.1:8085")
        String pushUrl();

        /** How long a call may take before the page says the service is unavailable. */
        @WithDefault("5s")
        Duration timeout();

        /** How long the push-service may take: its data (last sync, pending approvals) is left out after that. */
        @WithDefault("2s")
        Duration pushTimeout();
    }

    /** Sign-in sessions, kept in Redis under an id derived from the cookie (never the cookie itself). */
    interface Session {
        /** A session unused this long is over. */
        @WithDefault("15m")
        Duration idleTimeout();

        /** A session is over this long after sign-in, however busy. */
        @WithDefault("8h")
        Duration maxAge();

        /**
         * Whether the cookie is marked Secure (and named with the __Host- prefix). Unset: when the request
         * came over TLS, as the gateway says through X-Forwarded-Proto (quarkus.http.proxy.*).
         */
        Optional<Boolean> secureCookie();
    }

    /** How activation images are drawn by the visual-codes-service. */
    interface Images {
        /** Activation message 1 (offline): qr or colour. */
        @WithDefault("qr")
        String message1Format();

        /** Activation message 2 (offline): qr or colour. */
        @WithDefault("colour")
        String message2Format();

        /** Width and height in pixels. */
        @WithDefault("360")
        int size();
    }
}
