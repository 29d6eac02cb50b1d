package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hmac;
import org.countersign.protocol.internal.Pkcs10;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Secret;

/**
 * What a device sends to start online activation (protocol.md, "Online activation", steps 2 and
 * 3): a PKCS#10 CSR for its P-256 key with subject exactly {@code CN=<sn>}, signed SHA256withECDSA;
 * {@code h = base64url(SHA-256(csr DER))}; and
 * {@code proof = base64url(HMAC(AP, "countersign/v1/enroll|" + rid + "|" + h))}.
 *
 * <p>Device: {@link #create(EnrolmentMessage, KeyPair)}, then post {@link #csrBase64url()} and
 * {@link #proof()}; keep {@link #csr()} (or {@link #h()}) for the steps that follow. Server:
 * {@link #verify}, which runs every check of step 3 in order and returns the device's key.
 */
public final class EnrolmentRequest {

    /** The longest CSR a server reads; a P-256 request with a 64-character serial number has about 250 bytes. */
    public static final int MAX_CSR_LENGTH = 4096;

    private final String rid;
    private final byte[] csr;
    private final String h;
    private final String proof;

    private EnrolmentRequest(String rid, byte[] csr, String h, String proof) {
        this.rid = rid;
        this.csr = csr;
        this.h = h;
        this.proof = proof;
    }

    /** Device side: a CSR for {@code deviceKeys} and its proof, for the registration the enrolment URI names. */
    public static EnrolmentRequest create(EnrolmentMessage enrolment, KeyPair deviceKeys) {
        return create(enrolment.ap(), enrolment.rid(), enrolment.sn(), deviceKeys);
    }

    /** Device side, from the fields themselves. */
    public static EnrolmentRequest create(Secret ap, String rid, String sn, KeyPair deviceKeys) {
        Fields.requireId("sn", sn);
        return of(ap, rid, Pkcs10.create(deviceKeys, sn));
    }

    /**
     * The request for a CSR made earlier (a device that kept it, or a frozen vector): computes
     * {@code h} and the proof; does not check the CSR.
     */
    public static EnrolmentRequest of(Secret ap, String rid, byte[] csrDer) {
        Fields.requireId("rid", rid);
        String h = csrHash(csrDer);
        return new EnrolmentRequest(rid, csrDer.clone(), h, proof(ap, rid, h));
    }

    /** {@code h = base64url(SHA-256(csr DER))}, 43 characters. */
    public static String csrHash(byte[] csrDer) {
        return Base64Url.encode(Ecdsa.sha256(csrDer));
    }

    /** {@code proof = base64url(HMAC-SHA256(AP, "countersign/v1/enroll|" + rid + "|" + h))}, 43 characters. */
    public static String proof(Secret ap, String rid, String h) {
        if (ap == null || ap.length() != ActivationKey.ACTIVATION_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("An activation password has 20 bytes");
        }
        String message = Fields.join("countersign/v1/enroll", Fields.requireId("rid", rid), h);
        return Base64Url.encode(Hmac.compute(OtpAlgorithm.SHA256, ap, message.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Server side: the checks of protocol.md, step 3, after the registration's own (pending, of
     * type online or migrate), in this order: {@code csr} is strict base64url; the proof, computed
     * from the DER as received and compared in constant time; the CSR is one canonical DER PKCS#10
     * request; its own signature verifies (SHA256withECDSA); its key is P-256 with a named curve;
     * its subject is exactly {@code CN=<sn>}.
     *
     * @param ap the registration's activation password
     * @param rid the registration id (from the request path or body, already matched to a registration)
     * @param sn the registration's serial number
     * @param csrBase64url {@code csr} as the request carries it
     * @param proof {@code proof} as the request carries it
     * @return the device's key, the CSR and {@code h}, for sealing {@code IS} and for confirmation
     * @throws InvalidEnrolmentException with the {@link InvalidEnrolmentException.Reason} of the first check that failed
     */
    public static VerifiedEnrolment verify(Secret ap, String rid, String sn, String csrBase64url, String proof) {
        Fields.requireId("rid", rid);
        Fields.requireId("sn", sn);
        byte[] der;
        try {
            der = Base64Url.decode(csrBase64url == null ? "" : csrBase64url);
        } catch (IllegalArgumentException e) {
            throw new InvalidEnrolmentException(InvalidEnrolmentException.Reason.MALFORMED_CSR_ENCODING);
        }
        if (der.length == 0 || der.length > MAX_CSR_LENGTH) {
            throw new InvalidEnrolmentException(InvalidEnrolmentException.Reason.MALFORMED_CSR_ENCODING);
        }
        String h = csrHash(der);
        // Any text that is not the expected proof fails alike, whatever its form.
        if (!ConstantTime.equal(proof(ap, rid, h), proof)) {
            throw new InvalidEnrolmentException(InvalidEnrolmentException.Reason.PROOF);
        }
        return new VerifiedEnrolment(rid, sn, der, h, Pkcs10.check(der, sn, MAX_CSR_LENGTH));
    }

    public String rid() {
        return rid;
    }

    /** The CSR's DER bytes (a copy). The device keeps them: their SHA-256 salts the key that seals {@code IS}. */
    public byte[] csr() {
        return csr.clone();
    }

    /** {@code csr} as the request body carries it: base64url of the DER. */
    public String csrBase64url() {
        return Base64Url.encode(csr);
    }

    /** {@code h}: base64url(SHA-256(csr DER)). */
    public String h() {
        return h;
    }

    /** {@code proof}: it proves knowledge of {@code AP} and binds it to this CSR. */
    public String proof() {
        return proof;
    }

    @Override
    public String toString() {
        return "EnrolmentRequest[rid=" + rid + ", h=" + h + "]";
    }
}
