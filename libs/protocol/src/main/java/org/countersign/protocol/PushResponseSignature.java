package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.Randomness;

/**
 * The signature on a device's answer to a push request (protocol.md, "Push requests"):
 * base64url of a DER ECDSA P-256 SHA-256 signature over
 * {@code "countersign/v1/push|" + requestId + "|" + challenge + "|" + dataHash + "|" + decision + "|" + (selectedNumber or "") + "|" + iid}.
 *
 * <p>{@code challenge} is the base64url text as received (32 bytes, 43 characters);
 * {@code dataHash} is {@link TransactionData#dataHash()} of the request's message and fields;
 * {@code selectedNumber} is null when the request had no number options. {@code requestId} must
 * match {@code [A-Za-z0-9-]{1,64}} like every id of the protocol (a UUID does).
 *
 * <p>Device: {@link #sign}. Server: {@link #verify}, which throws on failure. The parameters come
 * in the order of the signed text.
 */
public final class PushResponseSignature {

    /** A challenge is 32 random bytes. */
    public static final int CHALLENGE_LENGTH = 32;

    private PushResponseSignature() {
    }

    /** A fresh {@code challenge}: base64url of 32 random bytes, for the server's push request. */
    public static String newChallenge() {
        return Base64Url.encode(Randomness.bytes(CHALLENGE_LENGTH));
    }

    /**
     * Device side.
     *
     * @throws IllegalArgumentException when a field is not of its form
     */
    public static String sign(PrivateKey deviceKey, String requestId, String challenge, String dataHash,
                              PushDecision decision, Integer selectedNumber, String iid) {
        return Base64Url.encode(Ecdsa.signDer(deviceKey, message(requestId, challenge, dataHash, decision, selectedNumber, iid)));
    }

    /**
     * Server side, with the request as it was stored and the answer as the device sent it.
     * {@code signature} must be strict base64url of a canonical DER signature (docs/protocol.md,
     * "Choices").
     *
     * @throws InvalidSignatureException when the signature does not verify, or a field of the
     *     answer is not of its form (so nothing was signed over it)
     */
    public static void verify(ECPublicKey deviceKey, String requestId, String challenge, String dataHash,
                              PushDecision decision, Integer selectedNumber, String iid, String signature) {
        byte[] message;
        try {
            message = message(requestId, challenge, dataHash, decision, selectedNumber, iid);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException();
        }
        if (!Ecdsa.verifyDer(P256Curve.validPoint(deviceKey), message, OnlineConfirmation.decode(signature))) {
            throw new InvalidSignatureException();
        }
    }

    /** The signed text as UTF-8. @throws IllegalArgumentException when a field is not of its form */
    public static byte[] message(String requestId, String challenge, String dataHash, PushDecision decision,
                                 Integer selectedNumber, String iid) {
        Fields.requireId("requestId", requestId);
        Fields.requireId("iid", iid);
        if (!isChallenge(challenge)) {
            throw new IllegalArgumentException("challenge is the base64url of 32 bytes");
        }
        if (!TransactionData.isDataHash(dataHash)) {
            throw new IllegalArgumentException("dataHash is the base64url of 32 bytes");
        }
        if (decision == null) {
            throw new IllegalArgumentException("decision is required");
        }
        if (selectedNumber != null && selectedNumber < 0) {
            throw new IllegalArgumentException("selectedNumber is not negative");
        }
        return Fields.join("countersign/v1/push", requestId, challenge, dataHash, decision.wire(),
                selectedNumber == null ? "" : selectedNumber.toString(), iid).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code challenge} is canonical base64url of 32 bytes. */
    public static boolean isChallenge(String challenge) {
        // A dataHash has the very same form: base64url of 32 bytes.
        return TransactionData.isDataHash(challenge);
    }
}
