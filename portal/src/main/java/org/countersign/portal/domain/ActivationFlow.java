package org.countersign.portal.domain;

import java.time.Instant;

/**
 * The activation a session is going through. The messages and the device code are secrets: they are kept
 * only sealed, under a key derived from the session cookie, so that Redis alone reveals none of them.
 * {@code error} is the last failure's problem type (shown once on the step's page), {@code attemptsLeft}
 * what the provisioning-service said after a counted failure.
 */
public record ActivationFlow(FlowKind kind, String registrationId, String serialNumber, String instanceId, Instant expiresAt,
                             String sealedMessage, String sealedMessage2, String sealedDeviceCode, String error,
                             Integer attemptsLeft) {

    public static ActivationFlow started(FlowKind kind, String registrationId, String serialNumber, String instanceId,
                                         Instant expiresAt, String sealedMessage) {
        return new ActivationFlow(kind, registrationId, serialNumber, instanceId, expiresAt, sealedMessage, null, null, null, null);
    }

    /** Offline: the device code was accepted and activation message 2 is to be scanned. */
    public boolean awaitingSignature() {
        return sealedMessage2 != null;
    }

    public ActivationFlow deviceAdded(String sealedMessage2, String sealedDeviceCode) {
        return new ActivationFlow(kind, registrationId, serialNumber, instanceId, expiresAt, sealedMessage, sealedMessage2,
                sealedDeviceCode, null, null);
    }

    public ActivationFlow failed(String error, Integer attemptsLeft) {
        return new ActivationFlow(kind, registrationId, serialNumber, instanceId, expiresAt, sealedMessage, sealedMessage2,
                sealedDeviceCode, error, attemptsLeft);
    }

    @Override
    public String toString() {
        return "ActivationFlow[" + kind + ", " + registrationId + "]";
    }
}
