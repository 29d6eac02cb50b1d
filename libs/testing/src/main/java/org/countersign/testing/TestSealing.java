package org.countersign.testing;

import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sealed values on the internal topics as the other services make and read them, for tests that
 * publish an event by hand or read one the service under test sent: sealed for the consuming service
 * ({@code "provisioning"}, {@code "otp"}) under the keys of this test run, bound as the payload says.
 */
public final class TestSealing {

    private TestSealing() {
    }

    /** Seals as a producing service does, for the service {@code recipient}. */
    public static SealedValue sealFor(String recipient, Secret secret, Binding binding) {
        return transport().seal(secret, binding);
    }

    /** Opens, as the service {@code recipient} does, what was sealed for it. */
    public static Secret openAs(String recipient, SealedValue sealed, Binding binding) {
        return transport().open(sealed, binding);
    }

    private static Keyring transport() {
        return Keyring.parse(ConfigProvider.getConfig().getValue("countersign.events.sealing.keys", String.class), "test");
    }
}
