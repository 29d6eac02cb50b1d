package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import org.countersign.protocol.internal.Fields;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.Secret;

/**
 * Activation message 2: {@code IS} sealed under {@code K_act} for one registration, instance and
 * serial number. The server {@link #seal}s it; the device reads it with
 * {@link ProtocolUris#parseActivationMessage2} and {@link #open}s it. Every instance is valid.
 */
public final class ActivationMessage2 {

    public static final int CIPHERTEXT_LENGTH = InstanceKeys.INSTANCE_SECRET_LENGTH + Aead.TAG_LENGTH;

    private final String rid;
    private final String iid;
    private final String sn;
    private final OtpPolicy otp;
    private final byte[] nonce;
    private final byte[] ciphertext;

    private ActivationMessage2(String rid, String iid, String sn, OtpPolicy otp, byte[] nonce, byte[] ciphertext) {
        this.rid = rid;
        this.iid = iid;
        this.sn = sn;
        this.otp = otp;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    /** The fields as they travel; validates every one. */
    public static ActivationMessage2 of(String rid, String iid, String sn, OtpPolicy otp, byte[] nonce, byte[] ciphertext) {
        Fields.requireId("rid", rid);
        Fields.requireId("iid", iid);
        Fields.requireId("sn", sn);
        if (otp == null) {
            throw new IllegalArgumentException("otp is required");
        }
        if (nonce == null || nonce.length != Aead.NONCE_LENGTH) {
            throw new IllegalArgumentException("n has 12 bytes");
        }
        if (ciphertext == null || ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("c has 48 bytes");
        }
        return new ActivationMessage2(rid, iid, sn, otp, nonce.clone(), ciphertext.clone());
    }

    /** Server side, with a fresh nonce. */
    public static ActivationMessage2 seal(Secret ap, DeviceCode dc, String rid, String iid, String sn, OtpPolicy otp,
                                          Secret instanceSecret) {
        return seal(ap, dc, rid, iid, sn, otp, instanceSecret, Randomness.bytes(Aead.NONCE_LENGTH));
    }

    /** Server side, with a given nonce: for vectors only; a nonce must never be reused under one key. */
    public static ActivationMessage2 seal(Secret ap, DeviceCode dc, String rid, String iid, String sn, OtpPolicy otp,
                                          Secret instanceSecret, byte[] nonce) {
        if (instanceSecret == null || instanceSecret.length() != InstanceKeys.INSTANCE_SECRET_LENGTH) {
            throw new IllegalArgumentException("An instance secret has 32 bytes");
        }
        Secret key = ActivationKey.derive(ap, dc, rid, iid, sn);
        byte[] plaintext = instanceSecret.reveal();
        try {
            byte[] c = Aead.aes256Gcm(key).seal(nonce, plaintext, aad(rid, iid, sn, otp));
            return of(rid, iid, sn, otp, nonce, c);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
            key.destroy();
        }
    }

    /**
     * Device side: checks that the message belongs to activation message 1, then decrypts {@code IS}.
     *
     * @throws ActivationImageException when rid or sn differ, or when the tag does not verify
     */
    public Secret open(ActivationMessage1 first, DeviceCode dc) {
        // Ids are public; comparing them in the open leaks nothing.
        if (!rid.equals(first.rid()) || !sn.equals(first.sn())) {
            throw new ActivationImageException(ActivationImageException.Reason.OTHER_ACTIVATION);
        }
        Secret key = ActivationKey.derive(first.ap(), dc, rid, iid, sn);
        byte[] plaintext = null;
        try {
            plaintext = Aead.aes256Gcm(key).open(nonce, ciphertext, aad(rid, iid, sn, otp));
            return Secret.copyOf(plaintext);
        } catch (Aead.AeadException e) {
            throw new ActivationImageException(ActivationImageException.Reason.DOES_NOT_DECRYPT);
        } finally {
            key.destroy();
            if (plaintext != null) {
                java.util.Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    static byte[] aad(String rid, String iid, String sn, OtpPolicy otp) {
        return Fields.join("countersign/v1/am2", rid, iid, sn, otp.format()).getBytes(StandardCharsets.UTF_8);
    }

    public String toUri() {
        return ProtocolUris.activationMessage2(this);
    }

    public String rid() {
        return rid;
    }

    public String iid() {
        return iid;
    }

    public String sn() {
        return sn;
    }

    public OtpPolicy otp() {
        return otp;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** {@code c}: the sealed {@code IS} with its tag, 48 bytes. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "ActivationMessage2[rid=" + rid + ", iid=" + iid + ", sn=" + sn + ", otp=" + otp + "]";
    }
}
