package org.countersign.otp.domain;

import java.util.UUID;
import org.countersign.secrets.Binding;

/**
 * What every sealed secret this service keeps is bound to: its purpose and its credential's row, so
 * that a value sealed for one purpose never opens as another, nor in another credential's row. What
 * arrives sealed on the internal topic is bound as the sending service sealed it (the event payloads'
 * bindings, e.g. {@code CredentialProvisioned.instanceSecretBinding}).
 */
public final class SealingPurposes {

    /** The key OTPs are computed with. */
    public static final String OTP_KEY = "otp-key";
    /** An instance secret kept for offline signing: distinct from the OTP key's purpose. */
    public static final String SIGNING_INSTANCE_SECRET = "signing-instance-secret";

    private SealingPurposes() {
    }

    /** The OTP key of the credential {@code credentialId}, at rest. */
    public static Binding otpKeyOf(UUID credentialId) {
        return Binding.of(OTP_KEY, "credential", credentialId.toString());
    }

    /** The instance secret of the credential {@code credentialId}, at rest for offline signing. */
    public static Binding signingInstanceSecretOf(UUID credentialId) {
        return Binding.of(SIGNING_INSTANCE_SECRET, "credential", credentialId.toString());
    }
}
