package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hmac;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Secret;

/**
 * {@code SIG = DT(HMAC(K_proof, "countersign/v1/activate|" + rid + "|" + iid + "|" + DC), 8)}: the
 * 8 digits a device shows after offline activation, which prove to the server that it holds
 * {@code IS}.
 */
public final class ActivationSignature {

    public static final int DIGITS = 8;

    private ActivationSignature() {
    }

    /** Device side (and the server's expected value). */
    public static String compute(InstanceKeys keys, String rid, String iid, DeviceCode dc) {
        return compute(keys, rid, iid, dc.digits());
    }

    /**
     * {@code DT(HMAC(K_proof, "countersign/v1/activate|" + rid + "|" + iid + "|" + last), 8)}: with the
     * device code offline, with {@code h} online ({@link OnlineConfirmation#code}).
     */
    static String compute(InstanceKeys keys, String rid, String iid, String last) {
        String message = Fields.join("countersign/v1/activate", Fields.requireId("rid", rid),
                Fields.requireId("iid", iid), last);
        Secret proof = keys.proof();
        try {
            return Truncation.dt(Hmac.compute(OtpAlgorithm.SHA256, proof, message.getBytes(StandardCharsets.UTF_8)), DIGITS);
        } finally {
            proof.destroy();
        }
    }

    /**
     * Server side. Compares in constant time; any typed text, of any form, that is not the
     * signature fails alike.
     *
     * @throws InvalidCodeException when {@code typed} is not the signature
     */
    public static void verify(InstanceKeys keys, String rid, String iid, DeviceCode dc, String typed) {
        if (!ConstantTime.equal(compute(keys, rid, iid, dc), typed)) {
            throw new InvalidCodeException();
        }
    }
}
