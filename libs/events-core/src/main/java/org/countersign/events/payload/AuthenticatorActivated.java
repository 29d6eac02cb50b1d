package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An authenticator instance is active: it can log in with OTPs and sign.
 *
 * @param registrationId The registration it completes
 * @param instanceId The instance
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param mode How it was activated: offline (two images), online (device keys) or otpauth (a stock authenticator app)
 * @param otp Its OTP parameters (protocol.md)
 * @param publicKey The device's P-256 public key, base64url of its SubjectPublicKeyInfo DER (online only)
 * @param certificate The device certificate the internal CA issued, base64url DER (online only)
 * @param platform Where the device receives push wake-ups: android, ios, web or other (online only)
 * @param biometric Whether the app protects its key with biometrics (online only)
 * @param pushToken The FCM or APNs token the device gave, if any; not a secret (online only)
 * @param deviceName The name the user gave the device, if any (online only)
 * @param activatedAt When
 */
public record AuthenticatorActivated(
        String registrationId,
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        String mode,
        String otp,
        String publicKey,
        String certificate,
        String platform,
        Boolean biometric,
        String pushToken,
        String deviceName,
        Instant activatedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.authenticator-activated.v1", Topics.ACTIVATIONS);

    /** An instance without device keys: activated offline, or a stock authenticator app (otpauth). */
    public static AuthenticatorActivated withoutDeviceKey(String registrationId, String instanceId, String userId, String domain,
                                                          String serialNumber, String mode, String otp, Instant activatedAt) {
        return new AuthenticatorActivated(registrationId, instanceId, userId, domain, serialNumber, mode, otp, null, null, null,
                null, null, null, activatedAt);
    }
}
