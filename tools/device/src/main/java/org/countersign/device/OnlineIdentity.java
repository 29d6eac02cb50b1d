package org.countersign.device;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Objects;
import org.countersign.protocol.P256;

/**
 * The online side of a profile (protocol.md, "Online activation"): the device's P-256 key pair,
 * the certificate the server's CA issued for it and that CA's certificate, where the server is,
 * where the push channel is, and what the device told the server about itself. The private key is
 * readable only inside this package; {@link #toString()} never shows it.
 *
 * <p>It exists from the moment the server answered the enrolment and the device checked the
 * answer; {@link #confirmedAt()} is set once the server accepted the confirmation. Until then the
 * device can retry the confirmation with the same key (a second enrolment on one registration is
 * refused by the server).
 */
public final class OnlineIdentity {

    /** The platforms the server accepts (provisioning-service, {@code platform}). */
    public static final java.util.List<String> PLATFORMS = java.util.List.of("android", "ios", "web", "other");

    private final String registrationId;
    private final String baseUrl;
    private final String platform;
    private final String pushToken;
    private final String deviceName;
    private final boolean biometric;
    private final byte[] certificate;
    private final byte[] caCertificate;
    private final String pushChannel;
    private final String csrHash;
    private final PrivateKey privateKey;
    private final Instant enrolledAt;
    private final Instant confirmedAt;
    private final X509Certificate parsedCertificate;

    OnlineIdentity(String registrationId, String baseUrl, String platform, String pushToken, String deviceName,
                   boolean biometric, byte[] certificate, byte[] caCertificate, String pushChannel, String csrHash,
                   PrivateKey privateKey, Instant enrolledAt, Instant confirmedAt) {
        this.registrationId = Objects.requireNonNull(registrationId, "registrationId");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.pushToken = pushToken;
        this.deviceName = deviceName;
        this.biometric = biometric;
        this.certificate = Objects.requireNonNull(certificate, "certificate").clone();
        this.caCertificate = Objects.requireNonNull(caCertificate, "caCertificate").clone();
        this.pushChannel = pushChannel;
        this.csrHash = Objects.requireNonNull(csrHash, "csrHash");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.enrolledAt = Objects.requireNonNull(enrolledAt, "enrolledAt");
        this.confirmedAt = confirmedAt;
        this.parsedCertificate = parse(this.certificate);
    }

    /** The same identity, confirmed by the server at {@code now}. */
    OnlineIdentity confirmed(Instant now) {
        return new OnlineIdentity(registrationId, baseUrl, platform, pushToken, deviceName, biometric, certificate,
                caCertificate, pushChannel, csrHash, privateKey, enrolledAt, now);
    }

    /** @throws IllegalArgumentException unless {@code der} is one X.509 certificate */
    static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not an X.509 certificate");
        }
    }

    /** The registration that enrolled the key (for a migration, the migrate registration, not the offline one). */
    public String registrationId() {
        return registrationId;
    }

    /** The provisioning service's base URL, from the enrolment URI. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code android}, {@code ios}, {@code web} or {@code other}. */
    public String platform() {
        return platform;
    }

    /** The push token sent at enrolment, or null. */
    public String pushToken() {
        return pushToken;
    }

    /** The device name sent at enrolment, or null. */
    public String deviceName() {
        return deviceName;
    }

    public boolean biometric() {
        return biometric;
    }

    /** Where the device opens its push channel (a {@code ws://} or {@code wss://} URL), as the server answered; may be null. */
    public String pushChannel() {
        return pushChannel;
    }

    /**
     * {@code h} of the CSR that was sent: base64url(SHA-256(csr DER)), which the confirmation code
     * covers. Kept so that a confirmation can be retried (a new CSR would have another hash).
     */
    public String csrHash() {
        return csrHash;
    }

    /** The device certificate's DER (a copy). */
    public byte[] certificateDer() {
        return certificate.clone();
    }

    /** The CA certificate's DER (a copy). */
    public byte[] caCertificateDer() {
        return caCertificate.clone();
    }

    public X509Certificate certificate() {
        return parsedCertificate;
    }

    public Instant certificateNotAfter() {
        return parsedCertificate.getNotAfter().toInstant();
    }

    /** The certificate's serial number, lower-case hex (as provisioning-service shows it). */
    public String certificateSerial() {
        BigInteger serial = parsedCertificate.getSerialNumber();
        return serial.toString(16);
    }

    /** The device's public key, as its certificate holds it. */
    public ECPublicKey publicKey() {
        return P256.decodeSpki(parsedCertificate.getPublicKey().getEncoded());
    }

    KeyPair keyPair() {
        return new KeyPair(publicKey(), privateKey);
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    public Instant enrolledAt() {
        return enrolledAt;
    }

    /** When the server accepted the confirmation; null while it has not. */
    public Instant confirmedAt() {
        return confirmedAt;
    }

    public boolean isConfirmed() {
        return confirmedAt != null;
    }

    @Override
    public String toString() {
        return "OnlineIdentity[rid=" + registrationId + ", url=" + baseUrl + ", platform=" + platform + ", certificate="
                + certificateSerial() + ", confirmed=" + isConfirmed() + ", key=(hidden)]";
    }
}
