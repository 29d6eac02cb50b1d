package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;

/**
 * Internal: a hardware token's seed from a PSKC import, sealed, for the otp-service.
 *
 * @param serialNumber The token serial number
 * @param domain The tenant
 * @param otp Its OTP parameters, for HOTP and TOTP tokens (may be absent)
 * @param ocraSuite Its OCRA suite, for challenge-response tokens (may be absent)
 * @param counter The HOTP counter the token is at (may be absent)
 * @param sealedSeed The seed, sealed for the purpose token-seed and bound to this serial number in this tenant
 * @param importedAt When
 */
public record TokenImported(
        String serialNumber,
        String domain,
        String otp,
        String ocraSuite,
        Long counter,
        SealedValue sealedSeed,
        Instant importedAt) {

    public static final EventType TYPE = new EventType("org.countersign.credential.token-imported.v1", Topics.INTERNAL_CREDENTIALS);
    /** The one service that opens {@code sealedSeed}: it is sealed to its public key. */
    public static final String SEALED_FOR = "otp";

    /**
     * What {@code sealedSeed} is bound to: the token's serial number in its tenant, so that a known seed
     * copied into the import of another token does not open.
     */
    public static Binding seedBinding(String domain, String serialNumber) {
        return Binding.of("token-seed", "token", domain, serialNumber);
    }
}
