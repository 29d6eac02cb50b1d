package org.countersign.push;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.P256;

/**
 * A simulated online device: its P-256 key, a certificate for it, and what it sends. The answer
 * signature is made here with the JDK's own SHA256withECDSA over protocol.md's text, not with
 * libs/protocol, so that the server's check is tested against an independent implementation.
 */
public final class TestDevice {

    private final KeyPair keys;
    private final String iid;
    private final String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
    private final String userId;
    private final String domain;
    private final String platform;
    private final boolean biometric;
    private final String pushToken;
    private final String certificate;

    public TestDevice(String userId, String domain, String platform, boolean biometric, String pushToken) {
        this(P256.generateKeyPair(), "iid-" + UUID.randomUUID(), userId, domain, platform, biometric, pushToken);
    }

    /** A device with a given key and instance id (e.g. those of a frozen vector). */
    public TestDevice(KeyPair keys, String iid, String userId, String domain, String platform, boolean biometric, String pushToken) {
        this.keys = keys;
        this.iid = iid;
        this.userId = userId;
        this.domain = domain;
        this.platform = platform;
        this.biometric = biometric;
        this.pushToken = pushToken;
        this.certificate = selfSigned();
    }

    public String iid() {
        return iid;
    }

    public String userId() {
        return userId;
    }

    public String domain() {
        return domain;
    }

    public String serial() {
        return serial;
    }

    public String publicKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(P256.encodeSpki((ECPublicKey) keys.getPublic()));
    }

    /** AuthenticatorActivated, mode online, as the provisioning-service publishes it. */
    public String activatedJson(Instant activatedAt) {
        return "{\"registrationId\":\"rid-" + UUID.randomUUID() + "\",\"instanceId\":\"" + iid + "\",\"userId\":\"" + userId
                + "\",\"domain\":\"" + domain + "\",\"serialNumber\":\"" + serial + "\",\"mode\":\"online\",\"otp\":\"totp:sha1:6:30\","
                + "\"publicKey\":\"" + publicKey() + "\",\"certificate\":\"" + certificate + "\",\"platform\":\"" + platform
                + "\",\"biometric\":" + biometric + (pushToken == null ? "" : ",\"pushToken\":\"" + pushToken + "\"")
                + ",\"deviceName\":\"" + userId + "'s phone\",\"activatedAt\":\"" + activatedAt + "\"}";
    }

    /** DeviceMigrated, as the provisioning-service publishes it. */
    public String migratedJson(Instant migratedAt) {
        return "{\"registrationId\":\"rid-" + UUID.randomUUID() + "\",\"instanceId\":\"" + iid + "\",\"userId\":\"" + userId
                + "\",\"domain\":\"" + domain + "\",\"serialNumber\":\"" + serial + "\",\"publicKey\":\"" + publicKey()
                + "\",\"certificate\":\"" + certificate + "\",\"platform\":\"" + platform + "\",\"biometric\":" + biometric
                + (pushToken == null ? "" : ",\"pushToken\":\"" + pushToken + "\"") + ",\"migratedAt\":\"" + migratedAt + "\"}";
    }

    public String revokedJson() {
        return "{\"instanceId\":\"" + iid + "\",\"userId\":\"" + userId + "\",\"domain\":\"" + domain + "\",\"serialNumber\":\""
                + serial + "\",\"revokedAt\":\"" + Instant.now() + "\",\"reason\":\"revoked\"}";
    }

    /** A fresh device token (protocol.md, "Device authentication"), issued at {@code now}. */
    public String token(Instant now) {
        long iat = now.getEpochSecond();
        return DeviceToken.sign(keys.getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, iat, iat + 300, DeviceToken.newJti());
    }

    public String bearer(Instant now) {
        return "Bearer " + token(now);
    }

    /** protocol.md: base64url(DER ECDSA over "countersign/v1/push|" + requestId + "|" + challenge + "|" + dataHash + "|" + decision + "|" + (selectedNumber or "") + "|" + iid). */
    public String sign(String requestId, String challenge, String dataHash, String decision, Integer selectedNumber) {
        String text = "countersign/v1/push|" + requestId + "|" + challenge + "|" + dataHash + "|" + decision + "|"
                + (selectedNumber == null ? "" : selectedNumber.toString()) + "|" + iid;
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String selfSigned() {
        try {
            X500Name name = new X500Name("CN=" + serial);
            Date from = Date.from(Instant.now().minusSeconds(60));
            Date to = Date.from(Instant.now().plusSeconds(365L * 24 * 3600));
            var holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), from, to, name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(new JcaX509CertificateConverter().getCertificate(holder)
                    .getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
