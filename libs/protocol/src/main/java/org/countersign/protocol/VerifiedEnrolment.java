package org.countersign.protocol;

import java.security.interfaces.ECPublicKey;
import org.bouncycastle.math.ec.ECPoint;
import org.countersign.protocol.internal.P256Curve;

/**
 * Server side: an online activation request that passed every check of
 * {@link EnrolmentRequest#verify}. It carries what the later steps need: the device's public key
 * (to issue its certificate, to check its confirmation, push and token signatures), the CSR (whose
 * SHA-256 salts the key that seals {@code IS}) and {@code h} (for the confirmation code). Store the
 * key ({@link P256#encodeSpki}) and {@code h} with the activation until it is confirmed.
 */
public final class VerifiedEnrolment {

    private final String rid;
    private final String sn;
    private final byte[] csr;
    private final String h;
    private final ECPublicKey devicePublicKey;

    VerifiedEnrolment(String rid, String sn, byte[] csr, String h, ECPoint devicePoint) {
        this.rid = rid;
        this.sn = sn;
        this.csr = csr.clone();
        this.h = h;
        this.devicePublicKey = P256Curve.jdkKey(devicePoint);
    }

    public String rid() {
        return rid;
    }

    public String sn() {
        return sn;
    }

    /** The CSR's DER bytes as received (a copy). */
    public byte[] csr() {
        return csr.clone();
    }

    /** {@code h}: base64url(SHA-256(csr DER)). */
    public String h() {
        return h;
    }

    /** The device's P-256 public key, validated. */
    public ECPublicKey devicePublicKey() {
        return devicePublicKey;
    }

    @Override
    public String toString() {
        return "VerifiedEnrolment[rid=" + rid + ", sn=" + sn + ", h=" + h + "]";
    }
}
