package org.countersign.provisioning.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One registration's way to an active instance. Secret columns hold sealed values only. */
@Entity
@Table(name = "activations")
public class Activation {

    @Id
    @Column(name = "registration_id", length = 64)
    public String registrationId;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    public static final String MIGRATE = "migrate";
    /** The type of a registration closed before it was seen, by an event of an older version that did not say. */
    public static final String UNKNOWN_TYPE = "unknown";

    /** offline, online, migrate or otpauth, as registration-service wrote it. */
    @Column(name = "activation_type", nullable = false, length = 16)
    public String activationType;

    @Column(name = "migrate_instance_id", length = 64)
    public String migrateInstanceId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ActivationStatus status;

    @Column(name = "sealed_activation_password")
    public String sealedActivationPassword;

    @Column(name = "instance_id", length = 64)
    public String instanceId;

    @Column(name = "sealed_device_code")
    public String sealedDeviceCode;

    @Column(name = "sealed_instance_secret")
    public String sealedInstanceSecret;

    /** The OTP parameters: of the new instance once a device was added, of the app's key for otpauth from the start. */
    @Column(length = 32)
    public String otp;

    /** Online and migrate, from enrolment on: the device's P-256 key, SubjectPublicKeyInfo DER. */
    @Column(name = "device_public_key")
    public byte[] devicePublicKey;

    /** h of protocol.md: base64url SHA-256 of the CSR, which the confirmation code is bound to. */
    @Column(name = "csr_hash", length = 43)
    public String csrHash;

    /** The device certificate issued at enrolment, DER; it becomes the instance's at confirmation. */
    @Column(name = "certificate")
    public byte[] certificate;

    @Column(name = "certificate_serial", length = 40)
    public String certificateSerial;

    @Column(name = "certificate_not_after")
    public Instant certificateNotAfter;

    @Column(length = 16)
    public String platform;

    @Column(name = "device_name", length = 100)
    public String deviceName;

    public Boolean biometric;

    @Column(name = "push_token", length = 4096)
    public String pushToken;

    /** otpauth: the time step of the code that confirmed the app, which the otp-service never accepts again. */
    @Column(name = "accepted_step")
    public Long acceptedStep;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * A registration closed before this service heard it was opened: recorded so that its
     * RegistrationPending, if it comes later, changes nothing. It holds no secret and is already over.
     */
    public static Activation closedUnseen(String registrationId, String domain, String userId, String serialNumber,
                                          String activationType, ActivationStatus status, Instant now) {
        Activation activation = pending(registrationId, domain, userId, serialNumber,
                activationType == null ? UNKNOWN_TYPE : activationType, null, null, null, now, now);
        activation.status = status;
        return activation;
    }

    /** A registration waiting for its device, as registration-service announced it; the password already sealed here. */
    public static Activation pending(String registrationId, String domain, String userId, String serialNumber,
                                     String activationType, String migrateInstanceId, String otp,
                                     String sealedActivationPassword, Instant expiresAt, Instant now) {
        Activation activation = new Activation();
        activation.registrationId = registrationId;
        activation.domain = domain;
        activation.userId = userId;
        activation.serialNumber = serialNumber;
        activation.activationType = activationType;
        activation.migrateInstanceId = migrateInstanceId;
        activation.otp = otp;
        activation.status = ActivationStatus.PENDING;
        activation.sealedActivationPassword = sealedActivationPassword;
        activation.expiresAt = expiresAt;
        activation.createdAt = now;
        activation.updatedAt = now;
        return activation;
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Once over, the activation keeps no secret: the instance holds what it needs. */
    public void close(ActivationStatus finalStatus, Instant now) {
        status = finalStatus;
        sealedActivationPassword = null;
        sealedDeviceCode = null;
        sealedInstanceSecret = null;
        updatedAt = now;
    }
}
