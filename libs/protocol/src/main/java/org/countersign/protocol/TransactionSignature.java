package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hmac;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Secret;

/**
 * {@code R = DT(HMAC(K_sign, "countersign/v1/sign|" + cid + "|" + dataHash), 8)}: the 8 digits a
 * device shows once the user has approved an offline signing challenge (protocol.md, "Offline
 * transaction signing"). They prove that the holder of {@code IS} saw exactly the data that
 * {@code dataHash} names, for challenge {@code cid}.
 */
public final class TransactionSignature {

    public static final int DIGITS = 8;

    private TransactionSignature() {
    }

    /** Device side (and the server's expected value), over data the device decrypted. */
    public static String compute(InstanceKeys keys, String cid, TransactionData data) {
        return compute(keys, cid, data.dataHash());
    }

    /**
     * @param dataHash as {@link TransactionData#dataHash()} gives it: 43 characters of base64url
     * @throws IllegalArgumentException when {@code cid} or {@code dataHash} is not of its form
     */
    public static String compute(InstanceKeys keys, String cid, String dataHash) {
        Fields.requireId("cid", cid);
        if (!TransactionData.isDataHash(dataHash)) {
            throw new IllegalArgumentException("dataHash is the base64url of 32 bytes");
        }
        String message = Fields.join("countersign/v1/sign", cid, dataHash);
        Secret sign = keys.sign();
        try {
            return Truncation.dt(Hmac.compute(OtpAlgorithm.SHA256, sign, message.getBytes(StandardCharsets.UTF_8)), DIGITS);
        } finally {
            sign.destroy();
        }
    }

    /**
     * Server side. Compares in constant time; any typed text, of any form, that is not the
     * response fails alike.
     *
     * @throws InvalidCodeException when {@code typed} is not the response
     */
    public static void verify(InstanceKeys keys, String cid, String dataHash, String typed) {
        if (!ConstantTime.equal(compute(keys, cid, dataHash), typed)) {
            throw new InvalidCodeException();
        }
    }
}
