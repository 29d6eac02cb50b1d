package org.countersign.portal.domain;

import java.time.Instant;

/**
 * What registering answered: the message to draw (activation message 1, an enrolment URI or an otpauth
 * URI, each holding a secret) and when it lapses. Its toString never shows the message.
 */
public record NewRegistration(String registrationId, String serialNumber, String activationMessage, Instant expiresAt) {

    @Override
    public String toString() {
        return "NewRegistration[" + registrationId + "]";
    }
}
