package org.countersign.device;

/**
 * What the device tells the server about itself when it enrols (protocol.md, "Online activation",
 * step 3): {@code platform} ({@code android}, {@code ios}, {@code web} or {@code other}, as
 * provisioning-service accepts), an optional {@code pushToken} (an FCM or APNs token; not a
 * secret), an optional {@code deviceName}, and whether the app protects its key with biometrics.
 *
 * @param platform one of {@link OnlineIdentity#PLATFORMS}
 * @param pushToken null for none
 * @param deviceName null for none
 */
public record EnrolmentOptions(String platform, String pushToken, String deviceName, boolean biometric) {

    /** The simulator's defaults: platform {@code other} (it has no FCM or APNs token), no push token, no name, no biometrics. */
    public static final EnrolmentOptions DEFAULT = new EnrolmentOptions("other", null, null, false);

    /** @throws DeviceException of kind USAGE for a platform the server does not accept, or an empty token or name */
    public EnrolmentOptions {
        if (platform == null || !OnlineIdentity.PLATFORMS.contains(platform)) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--platform is one of " + String.join(", ",
                    OnlineIdentity.PLATFORMS) + (platform == null ? "" : ", not '" + Display.safe(platform) + "'") + ".");
        }
        if (pushToken != null && pushToken.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--push-token is empty.");
        }
        if (deviceName != null && deviceName.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--device-name is empty.");
        }
    }
}
