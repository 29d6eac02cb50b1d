package org.countersign.protocol;

import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hkdf;
import org.countersign.secrets.Secret;

/**
 * {@code K_act = HKDF(IKM=AP, salt=dn, info="countersign/v1/activation|" + rid + "|" + iid + "|" + sn, L=32)},
 * the key that carries {@code IS} to the device in activation message 2.
 */
public final class ActivationKey {

    public static final int ACTIVATION_PASSWORD_LENGTH = 20;

    private ActivationKey() {
    }

    public static Secret derive(Secret ap, DeviceCode dc, String rid, String iid, String sn) {
        if (ap == null || ap.length() != ACTIVATION_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("An activation password has 20 bytes");
        }
        String info = Fields.join("countersign/v1/activation", Fields.requireId("rid", rid),
                Fields.requireId("iid", iid), Fields.requireId("sn", sn));
        return Hkdf.derive(ap, dc.dn(), info, 32);
    }
}
