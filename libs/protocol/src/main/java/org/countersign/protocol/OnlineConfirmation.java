package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.ConstantTime;

/**
 * The last step of online activation (protocol.md, "Online activation", step 4): the device proves
 * that it holds {@code IS} and the private key of its CSR.
 *
 * <ul>
 *   <li>{@code code = DT(HMAC(K_proof, "countersign/v1/activate|" + rid + "|" + iid + "|" + h), 8)}</li>
 *   <li>{@code signature = base64url(DER ECDSA P-256 SHA-256 over "countersign/v1/confirm|" + rid + "|" + iid + "|" + code)}</li>
 * </ul>
 *
 * <p>Device: {@link #code} and {@link #sign}. Server: {@link #verifyCode} and
 * {@link #verifySignature}; the instance is active only once both pass. Both throw on failure.
 */
public final class OnlineConfirmation {

    public static final int DIGITS = ActivationSignature.DIGITS;

    private OnlineConfirmation() {
    }

    /** Device side (and the server's expected value): 8 digits. */
    public static String code(InstanceKeys keys, String rid, String iid, String h) {
        return ActivationSignature.compute(keys, rid, iid, requireHash(h));
    }

    /**
     * Server side. Compares in constant time; any text that is not the code fails alike.
     *
     * @param h as stored from {@link VerifiedEnrolment#h()}
     * @throws InvalidCodeException when {@code code} is not the code
     */
    public static void verifyCode(InstanceKeys keys, String rid, String iid, String h, String code) {
        if (!ConstantTime.equal(code(keys, rid, iid, h), code)) {
            throw new InvalidCodeException();
        }
    }

    /**
     * Device side: the confirmation signature, base64url of a DER {@code Ecdsa-Sig-Value}.
     *
     * @param code the 8 digits of {@link #code}
     */
    public static String sign(PrivateKey deviceKey, String rid, String iid, String code) {
        return Base64Url.encode(Ecdsa.signDer(deviceKey, message(rid, iid, code)));
    }

    /**
     * Server side: {@code signature} must be strict base64url of a canonical DER signature (see
     * docs/protocol.md, "Choices") that verifies under the device key.
     *
     * @param code the code as the device sent it
     * @throws InvalidSignatureException for anything else
     */
    public static void verifySignature(ECPublicKey deviceKey, String rid, String iid, String code, String signature) {
        byte[] message;
        try {
            message = message(rid, iid, code);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException();
        }
        if (!Ecdsa.verifyDer(P256Curve.validPoint(deviceKey), message, decode(signature))) {
            throw new InvalidSignatureException();
        }
    }

    /** The signed text, UTF-8: {@code "countersign/v1/confirm|" + rid + "|" + iid + "|" + code}. */
    static byte[] message(String rid, String iid, String code) {
        if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("A confirmation code is 8 ASCII digits");
        }
        return Fields.join("countersign/v1/confirm", Fields.requireId("rid", rid), Fields.requireId("iid", iid), code)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Strict base64url, or null (which no verification accepts). */
    static byte[] decode(String signature) {
        try {
            return signature == null ? null : Base64Url.decode(signature);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String requireHash(String h) {
        if (!TransactionData.isDataHash(h)) {
            throw new IllegalArgumentException("h is the base64url of a SHA-256 hash, 43 characters");
        }
        return h;
    }
}
