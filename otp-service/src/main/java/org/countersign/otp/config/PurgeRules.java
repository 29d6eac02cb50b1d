package org.countersign.otp.config;

import jakarta.enterprise.inject.Produces;
import org.countersign.events.PurgeRule;

/** What libs/events' housekeeping deletes here: challenges some time after they expired. */
public class PurgeRules {

    @Produces
    PurgeRule signatureChallenges(OtpConfig config) {
        return new PurgeRule("signature_challenges", "expires_at", null, config.challengeRetention());
    }

    @Produces
    PurgeRule ocraChallenges(OtpConfig config) {
        return new PurgeRule("ocra_challenges", "expires_at", null, config.challengeRetention());
    }
}
