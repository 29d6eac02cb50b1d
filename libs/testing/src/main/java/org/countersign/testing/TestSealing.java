package org.countersign.testing;

import org.countersign.secrets.Binding;
import org.countersign.secrets.RecipientKey;
import org.countersign.secrets.RecipientKeyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Sealed values on the internal topics as the other services make and read them, for tests that
 * publish an event by hand or read one the service under test sent: sealed to the public key of the
 * consuming service ({@code "provisioning"}, {@code "otp"}: a payload's {@code SEALED_FOR}), opened with
 * its private key, both the keys this test JVM gave the services (CountersignStackResource).
 */
public final class TestSealing {

    private TestSealing() {
    }

    /** Seals as a producing service does, for the service {@code recipient}. */
    public static SealedValue sealFor(String recipient, Secret secret, Binding binding) {
        return RecipientKey.parse(SharedStack.keys().publicKey(recipient)).seal(secret, binding);
    }

    /** Opens, as the service {@code recipient} does with its private key, what was sealed for it. */
    public static Secret openAs(String recipient, SealedValue sealed, Binding binding) {
        return RecipientKeyring.parse(SharedStack.keys().privateKeys(recipient)).open(sealed, binding);
    }
}
