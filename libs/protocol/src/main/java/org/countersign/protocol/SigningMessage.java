package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import org.countersign.protocol.internal.Fields;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.Secret;

/**
 * The offline signing challenge of protocol.md, "Offline transaction signing":
 * {@code countersign://sign?v=1&iid=..&cid=..&n=..&c=..}, where
 * {@code c = AEAD(K_tx, n, payload, "countersign/v1/sign|" + iid + "|" + cid)}. The server
 * {@link #seal}s it; the device reads it with {@link ProtocolUris#parseSigningMessage} and
 * {@link #open}s it. Every instance is valid.
 */
public final class SigningMessage {

    /** The smallest {@code c}: the tag and a two-byte payload ({@code {}}), which parsing then refuses. */
    public static final int MIN_CIPHERTEXT_LENGTH = Aead.TAG_LENGTH + 2;

    private final String iid;
    private final String cid;
    private final byte[] nonce;
    private final byte[] ciphertext;

    private SigningMessage(String iid, String cid, byte[] nonce, byte[] ciphertext) {
        this.iid = iid;
        this.cid = cid;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    /** The fields as they travel; validates every one. */
    public static SigningMessage of(String iid, String cid, byte[] nonce, byte[] ciphertext) {
        Fields.requireId("iid", iid);
        Fields.requireId("cid", cid);
        if (nonce == null || nonce.length != Aead.NONCE_LENGTH) {
            throw new IllegalArgumentException("n has 12 bytes");
        }
        if (ciphertext == null || ciphertext.length < MIN_CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("c has at least " + MIN_CIPHERTEXT_LENGTH + " bytes");
        }
        return new SigningMessage(iid, cid, nonce.clone(), ciphertext.clone());
    }

    /** Server side, with a fresh nonce. */
    public static SigningMessage seal(InstanceKeys keys, String iid, String cid, SigningPayload payload) {
        return seal(keys, iid, cid, payload, Randomness.bytes(Aead.NONCE_LENGTH));
    }

    /** Server side, with a given nonce: for vectors only; a nonce must never be reused under one key. */
    public static SigningMessage seal(InstanceKeys keys, String iid, String cid, SigningPayload payload, byte[] nonce) {
        Fields.requireId("iid", iid);
        Fields.requireId("cid", cid);
        Secret key = keys.tx();
        try {
            return of(iid, cid, nonce, Aead.aes256Gcm(key).seal(nonce, payload.toJson(), aad(iid, cid)));
        } finally {
            key.destroy();
        }
    }

    /**
     * Device side: checks that the message is for this instance, decrypts it and reads the payload.
     *
     * @param keys the keys of the device's instance
     * @param ownIid the device's own instance id
     * @throws SigningImageException for another instance, or when the tag does not verify
     * @throws MalformedMessageException when the decrypted payload is not a well-formed payload
     */
    public SigningPayload open(InstanceKeys keys, String ownIid) {
        // Ids are public; comparing them in the open leaks nothing.
        if (!iid.equals(ownIid)) {
            throw new SigningImageException(SigningImageException.Reason.OTHER_INSTANCE);
        }
        Secret key = keys.tx();
        byte[] plaintext;
        try {
            plaintext = Aead.aes256Gcm(key).open(nonce, ciphertext, aad(iid, cid));
        } catch (Aead.AeadException e) {
            throw new SigningImageException(SigningImageException.Reason.DOES_NOT_DECRYPT);
        } finally {
            key.destroy();
        }
        return SigningPayload.parse(plaintext);
    }

    /** {@code "countersign/v1/sign|" + iid + "|" + cid}, UTF-8. */
    static byte[] aad(String iid, String cid) {
        return Fields.join("countersign/v1/sign", iid, cid).getBytes(StandardCharsets.UTF_8);
    }

    public String toUri() {
        return ProtocolUris.signingMessage(this);
    }

    public String iid() {
        return iid;
    }

    /** {@code cid}, the challenge id. */
    public String cid() {
        return cid;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** {@code c}: the sealed payload with its tag. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "SigningMessage[iid=" + iid + ", cid=" + cid + ", c=" + ciphertext.length + " bytes]";
    }
}
