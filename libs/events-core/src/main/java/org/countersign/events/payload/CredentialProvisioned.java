package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;

/**
 * Internal: an activated instance's secret for the otp-service, sealed. Exactly one of
 * {@code sealedInstanceSecret} (an instance with IS, from which K_otp is derived) and
 * {@code sealedOtpKey} (a stock authenticator app's raw TOTP key) is present.
 *
 * @param instanceId The instance
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param otp Its OTP parameters
 * @param sealedInstanceSecret IS, sealed for the purpose instance-secret and bound to this instance, its tenant and its user (absent for otpauth)
 * @param sealedOtpKey The raw OTP key, sealed for the purpose otp-key and bound like sealedInstanceSecret (otpauth only)
 * @param lastUsedStep The last OTP time step already used (the one that confirmed an otpauth app), if any
 * @param provisionedAt When
 */
public record CredentialProvisioned(
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        String otp,
        SealedValue sealedInstanceSecret,
        SealedValue sealedOtpKey,
        Long lastUsedStep,
        Instant provisionedAt) {

    public static final EventType TYPE = new EventType("org.countersign.credential.credential-provisioned.v1", Topics.INTERNAL_CREDENTIALS);
    /** The one service that opens the sealed secret: it is sealed to its public key. */
    public static final String SEALED_FOR = "otp";

    /**
     * What {@code sealedInstanceSecret} is bound to: the instance, with its tenant and user, so that the
     * secret of an instance someone holds, copied into an event of another instance or user, does not open.
     */
    public static Binding instanceSecretBinding(String domain, String userId, String instanceId) {
        return Binding.of("instance-secret", "instance", domain, userId, instanceId);
    }

    /** What {@code sealedOtpKey} is bound to: the otpauth instance, with its tenant and user. */
    public static Binding otpKeyBinding(String domain, String userId, String instanceId) {
        return Binding.of("otp-key", "instance", domain, userId, instanceId);
    }

    /** An instance with IS: the otp-service derives K_otp and keeps IS for offline signing. */
    public static CredentialProvisioned ofInstanceSecret(String instanceId, String userId, String domain, String serialNumber,
                                                         String otp, SealedValue sealedInstanceSecret,
                                                         Instant provisionedAt) {
        return new CredentialProvisioned(instanceId, userId, domain, serialNumber, otp, sealedInstanceSecret, null, null,
                provisionedAt);
    }
}
