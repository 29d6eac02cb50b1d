package org.countersign.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.VerifyResult;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Sign-in checks: an OTP, or a PIN followed by the OTP; throttled and replay-safe in the otp-service. */
@ApplicationScoped
public class OtpClient {

    static final String SERVICE = "otp-service";

    private final OtpRestClient rest;
    private final Duration timeout;

    public OtpClient(@RestClient OtpRestClient rest, PortalConfig config) {
        this.rest = rest;
        this.timeout = config.services().timeout();
    }

    public Uni<VerifyResult> verify(String userId, String credential) {
        return Answers.guarded(SERVICE, timeout, rest.verify(new OtpRestClient.VerifyBody(userId, credential)));
    }
}
