package org.countersign.provisioning.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One activated authenticator: a device bound to a user and a licence serial number. */
@Entity
@Table(name = "authenticator_instances")
public class AuthenticatorInstance {

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
    public InstanceMode mode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public InstanceStatus status;

    @Column(name = "registration_id", length = 64)
    public String registrationId;

    /** The OTP parameter string of protocol.md, e.g. totp:sha1:6:30. */
    @Column(length = 32)
    public String otp;

    /** IS, sealed at rest; a migration online checks the device's proof with the keys derived from it. */
    @Column(name = "sealed_instance_secret")
    public String sealedInstanceSecret;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Online: the device's P-256 key (SubjectPublicKeyInfo DER); device JWTs are checked against it. */
    @Column(name = "public_key")
    public byte[] publicKey;

    /** Online: the device certificate from the internal CA, DER. Revoking the instance revokes it. */
    @Column(name = "certificate")
    public byte[] certificate;

    /** The certificate's serial number, lower-case hex. */
    @Column(name = "certificate_serial", length = 40)
    public String certificateSerial;

    @Column(name = "certificate_not_after")
    public Instant certificateNotAfter;

    /** Online: android, ios, web or other. */
    @Column(length = 16)
    public String platform;

    @Column(name = "device_name", length = 100)
    public String deviceName;

    public Boolean biometric;

    /** Online: the FCM or APNs token, if the device gave one. Not a secret. */
    @Column(name = "push_token", length = 4096)
    public String pushToken;

    /** When an offline instance moved online (Rescan Device), if it did. */
    @Column(name = "migrated_at")
    public Instant migratedAt;
}
