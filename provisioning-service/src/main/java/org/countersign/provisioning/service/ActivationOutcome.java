package org.countersign.provisioning.service;

import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.AuthenticatorInstance;

/**
 * What a device call did. A counted failure is an outcome, not an exception, because the count must
 * be committed before the caller hears of it; the resource turns it into a problem afterwards.
 */
public sealed interface ActivationOutcome {

    /** The reason a migration fails for good when its instance cannot move online. */
    String INSTANCE_NOT_MIGRATABLE = "instance-not-migratable";

    Activation activation();

    /** Add-device succeeded: the instance id and activation message 2. */
    record DeviceAdded(Activation activation, String activationMessage2) implements ActivationOutcome {
        @Override
        public String toString() {
            return "DeviceAdded[" + activation.registrationId + "]";
        }
    }

    /**
     * An online enrolment succeeded: the device's certificate, the CA's, and (for a new instance) IS
     * sealed to the device key; a migration keeps its IS and has none.
     */
    record Enrolled(Activation activation, byte[] certificate, byte[] caCertificate,
                    org.countersign.protocol.SealedInstanceSecret sealedSecret, String pushChannel) implements ActivationOutcome {
        @Override
        public String toString() {
            return "Enrolled[" + activation.registrationId + "]";
        }
    }

    record Activated(Activation activation, AuthenticatorInstance instance) implements ActivationOutcome {
    }

    /** A wrong signature, proof or code, or a repeated device step, counted; {@code attemptsLeft} more are allowed. */
    record Counted(Activation activation, String why, int attemptsLeft) implements ActivationOutcome {
    }

    /** The activation failed for good: the last attempt was used up, or (migrate) the instance cannot move online. */
    record Failed(Activation activation, String why) implements ActivationOutcome {
    }
}
