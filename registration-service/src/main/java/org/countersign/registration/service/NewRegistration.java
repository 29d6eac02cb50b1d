package org.countersign.registration.service;

import java.time.Instant;
import org.countersign.secrets.Secret;

/**
 * A registration just opened. The activation password is here once, for the answer to the caller
 * (null for otpauth, whose secret is in the activation message only); it is stored only sealed.
 * toString never shows it.
 */
public record NewRegistration(String registrationId, String serialNumber, Secret activationPassword,
                              String activationMessage, Instant expiresAt) {

    @Override
    public String toString() {
        return "NewRegistration[" + registrationId + ", " + serialNumber + "]";
    }
}
