package org.countersign.push.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import org.hibernate.annotations.DynamicUpdate;

/**
 * An online device, as the activation events describe it: its key, platform, push token and the
 * settings an admin gives it. Identified by its authenticator instance.
 *
 * <p>Updates write only the columns that changed: "last sync" is written beside Hibernate by one
 * statement for many devices (LastSync), and a transaction that loaded the device before that
 * statement and changed something else (a configuration acknowledgement, a push token) must not
 * write its stale "last sync" back over it.
 */
@Entity
@Table(name = "devices")
@DynamicUpdate
public class Device {

    @Id
    @Column(name = "instance_id", length = 64)
    public String instanceId;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Platform platform;

    @Column(name = "device_name", length = 100)
    public String deviceName;

    @Column(nullable = false)
    public boolean biometric;

    /** SubjectPublicKeyInfo DER of the device's P-256 key. */
    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    @Column(name = "certificate_not_after", nullable = false)
    public Instant certificateNotAfter;

    @Column(name = "push_token", length = 4096)
    public String pushToken;

    @Column(name = "push_token_disabled_at")
    public Instant pushTokenDisabledAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public DeviceStatus status;

    @Column(name = "activated_at", nullable = false)
    public Instant activatedAt;

    /** When this service learnt of the device: it is sent the requests created from then on. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_sync_at")
    public Instant lastSyncAt;

    @Column(name = "auth_types", nullable = false, length = 64)
    public String authTypes;

    @Column(name = "config_version", nullable = false)
    public int configVersion;

    @Column(name = "config_changed_at")
    public Instant configChangedAt;

    @Column(name = "config_acked_version", nullable = false)
    public int configAckedVersion;

    @Column(name = "config_acked_at")
    public Instant configAckedAt;

    public Set<AuthType> authTypes() {
        return AuthType.fromColumn(authTypes);
    }

    public boolean isActive() {
        return status == DeviceStatus.ACTIVE;
    }

    /** Whether it may be sent push requests at all: active, and push among its authentication types. */
    public boolean acceptsPush() {
        return isActive() && authTypes().contains(AuthType.PUSH);
    }

    /**
     * Whether its certificate is still in force. Its tokens are refused once it expired, but a channel opened
     * before stays open: requests are neither sent to, listed for, nor decided by such a device.
     */
    public boolean certificateInForce(Instant now) {
        return certificateNotAfter != null && certificateNotAfter.isAfter(now);
    }

    /**
     * An APNs device token: hex, an even number of digits (32 bytes today; Apple says the length may change).
     * It goes into the APNs URL's path, so nothing else is accepted from the device.
     */
    public static final Pattern APNS_TOKEN = Pattern.compile("(?:[0-9a-fA-F]{2}){8,200}");

    /** Whether FCM or APNs can wake it: a platform that has a provider, and a token that still works. */
    public boolean canBeWoken() {
        return (platform == Platform.ANDROID || platform == Platform.IOS) && pushToken != null && pushTokenDisabledAt == null;
    }

    /** Whether an admin's configuration waits for the device's acknowledgement. */
    public boolean configPending() {
        return configAckedVersion < configVersion;
    }

    /**
     * Whether it was sent a request: it accepts push, was known when the request was created, and
     * declared biometric protection if the request required it. Only such a device may answer it.
     */
    public boolean wasSent(PushRequest request) {
        return acceptsPush() && domain.equals(request.domain) && userId.equals(request.userId)
                && !createdAt.isAfter(request.createdAt) && (!request.requireBiometric || biometric);
    }
}
