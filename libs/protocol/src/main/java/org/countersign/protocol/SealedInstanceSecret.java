package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hkdf;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.Secret;

/**
 * {@code IS} sealed to the device's key in the answer to an online activation request
 * (protocol.md, "Online activation", step 3): {@code epk}, {@code n} and {@code c}.
 *
 * <ul>
 *   <li>The server draws an ephemeral P-256 key {@code e}; {@code epk} is its 65-byte uncompressed point.</li>
 *   <li>{@code Z} = the x-coordinate of ECDH between {@code e} and the device key, 32 raw bytes.</li>
 *   <li>{@code K = HKDF(IKM=Z, salt=SHA-256(csr DER), info="countersign/v1/online|" + rid + "|" + iid, L=32)}.</li>
 *   <li>{@code c = AES-256-GCM(K, n, IS, "countersign/v1/online-secret|" + rid + "|" + iid + "|" + otp)}, 48 bytes.</li>
 * </ul>
 *
 * <p>Server: {@link #seal(VerifiedEnrolment, String, OtpPolicy, Secret)} and put {@link #epk()},
 * {@link #n()} and {@link #c()} in the answer. A {@code migrate} activation sends none of them.
 * Device: {@link #parse} the three strings (which validates {@code epk} as a P-256 point: a point
 * off the curve would be an invalid-curve attack on the device key), then {@link #open}.
 */
public final class SealedInstanceSecret {

    public static final int CIPHERTEXT_LENGTH = InstanceKeys.INSTANCE_SECRET_LENGTH + Aead.TAG_LENGTH;

    private final byte[] epk;
    private final byte[] nonce;
    private final byte[] ciphertext;

    private SealedInstanceSecret(byte[] epk, byte[] nonce, byte[] ciphertext) {
        this.epk = epk;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    /** Server side, with a fresh ephemeral key and nonce. */
    public static SealedInstanceSecret seal(VerifiedEnrolment enrolment, String iid, OtpPolicy otp, Secret instanceSecret) {
        return seal(enrolment, iid, otp, instanceSecret, P256Curve.generate(), Randomness.bytes(Aead.NONCE_LENGTH));
    }

    /**
     * Server side, with a given ephemeral key and nonce: for vectors only. The ephemeral key must be
     * fresh for every activation and is forgotten afterwards.
     */
    public static SealedInstanceSecret seal(VerifiedEnrolment enrolment, String iid, OtpPolicy otp, Secret instanceSecret,
                                            KeyPair ephemeral, byte[] nonce) {
        if (instanceSecret == null || instanceSecret.length() != InstanceKeys.INSTANCE_SECRET_LENGTH) {
            throw new IllegalArgumentException("An instance secret has 32 bytes");
        }
        if (nonce == null || nonce.length != Aead.NONCE_LENGTH) {
            throw new IllegalArgumentException("The nonce has 12 bytes");
        }
        byte[] epk = P256.encodePoint((ECPublicKey) ephemeral.getPublic());
        Secret key = key(ephemeral.getPrivate(), enrolment.devicePublicKey(), enrolment.csr(), enrolment.rid(), iid);
        byte[] plaintext = instanceSecret.reveal();
        try {
            byte[] c = Aead.aes256Gcm(key).seal(nonce, plaintext, aad(enrolment.rid(), iid, otp));
            return new SealedInstanceSecret(epk, nonce.clone(), c);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
            key.destroy();
        }
    }

    /**
     * Device side: reads {@code epk}, {@code n} and {@code c} from the answer.
     *
     * @throws MalformedMessageException unless each is strict base64url of the right length and
     *     {@code epk} is an uncompressed point on P-256
     */
    public static SealedInstanceSecret parse(String epk, String n, String c) {
        String what = "online activation answer";
        byte[] point = bytes(epk, "epk", P256Curve.POINT_LENGTH, what);
        try {
            P256Curve.validPoint(point);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": epk is not an uncompressed P-256 point");
        }
        return new SealedInstanceSecret(point, bytes(n, "n", Aead.NONCE_LENGTH, what), bytes(c, "c", CIPHERTEXT_LENGTH, what));
    }

    /**
     * Device side: ECDH with its private key, derives {@code K}, decrypts {@code IS}.
     *
     * @param csrDer the CSR the device sent ({@link EnrolmentRequest#csr()})
     * @param otp the {@code otp} of the answer
     * @throws Aead.AeadException when the tag does not verify: another device key, CSR, rid, iid
     *     or otp than the server used, or a tampered answer
     */
    public Secret open(PrivateKey deviceKey, byte[] csrDer, String rid, String iid, OtpPolicy otp) {
        Secret key = key(deviceKey, P256.decodePoint(epk), csrDer, rid, iid);
        byte[] plaintext = null;
        try {
            plaintext = Aead.aes256Gcm(key).open(nonce, ciphertext, aad(rid, iid, otp));
            return Secret.copyOf(plaintext);
        } finally {
            key.destroy();
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** {@code K}, from one side's private key and the other side's public key (ECDH is symmetric). */
    static Secret key(PrivateKey privateKey, ECPublicKey publicKey, byte[] csrDer, String rid, String iid) {
        String info = Fields.join("countersign/v1/online", Fields.requireId("rid", rid), Fields.requireId("iid", iid));
        Secret z = sharedSecret(privateKey, publicKey);
        try {
            return Hkdf.derive(z, Ecdsa.sha256(csrDer), info, Aead.KEY_LENGTH);
        } finally {
            z.destroy();
        }
    }

    /** {@code Z}: the x-coordinate of the ECDH shared point, 32 raw bytes. */
    static Secret sharedSecret(PrivateKey privateKey, ECPublicKey publicKey) {
        byte[] z = P256Curve.sharedX(privateKey, publicKey);
        try {
            return Secret.copyOf(z);
        } finally {
            Arrays.fill(z, (byte) 0);
        }
    }

    static byte[] aad(String rid, String iid, OtpPolicy otp) {
        return Fields.join("countersign/v1/online-secret", rid, iid, otp.format()).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code epk}: base64url of the 65-byte uncompressed ephemeral point. */
    public String epk() {
        return Base64Url.encode(epk);
    }

    /** {@code n}: base64url of the 12-byte nonce. */
    public String n() {
        return Base64Url.encode(nonce);
    }

    /** {@code c}: base64url of the 48-byte ciphertext and tag. */
    public String c() {
        return Base64Url.encode(ciphertext);
    }

    private static byte[] bytes(String text, String name, int length, String what) {
        byte[] bytes;
        try {
            bytes = Base64Url.decode(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + name + " is not strict base64url");
        }
        if (bytes.length != length) {
            throw new MalformedMessageException(what + ": " + name + " is not " + length + " bytes");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "SealedInstanceSecret[epk=" + epk() + "]";
    }
}
