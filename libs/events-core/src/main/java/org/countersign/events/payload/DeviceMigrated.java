package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An active offline instance went online ("Rescan Device"): same instance id, same secret, same OTPs,
 * now with a device key and certificate. No new authenticator and no licence activation.
 *
 * @param registrationId The migrate registration it completes
 * @param instanceId The instance, unchanged
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param publicKey The device's P-256 public key, base64url of its SubjectPublicKeyInfo DER
 * @param certificate The device certificate the internal CA issued, base64url DER
 * @param platform Where the device receives push wake-ups: android, ios, web or other
 * @param biometric Whether the app protects its key with biometrics
 * @param pushToken The FCM or APNs token the device gave, if any; not a secret
 * @param deviceName The name the user gave the device, if any
 * @param migratedAt When
 */
public record DeviceMigrated(
        String registrationId,
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        String publicKey,
        String certificate,
        String platform,
        Boolean biometric,
        String pushToken,
        String deviceName,
        Instant migratedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.device-migrated.v1", Topics.ACTIVATIONS);
}
