package org.countersign.registration.service;

import static org.countersign.registration.service.PskcXml.malformed;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Secret;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.service.PskcException.Reason;
import org.w3c.dom.Element;

/**
 * The symmetric protection of RFC 6030 section 6: one encryption key (pre-shared, 6.1, or derived
 * from a password, 6.2), a MAC key that travels encrypted under it in {@code MACMethod/MACKey}, and
 * per value a {@code ValueMAC} over the IV and cipher text. Every value's MAC is checked before the
 * value is decrypted, and every failure of key, MAC or padding is the same exception.
 */
final class PskcEncryption implements AutoCloseable {

    private static final int BLOCK = 16;

    private final Secret key;
    private final Secret macKey;
    private final String macAlgorithm;

    private PskcEncryption(Secret key, Secret macKey, String macAlgorithm) {
        this.key = key;
        this.macKey = macKey;
        this.macAlgorithm = macAlgorithm;
    }

    /** Reads the container's key and MAC set-up; called only when some value is encrypted. */
    static PskcEncryption from(Element container, PskcCredentials credentials) {
        Element macMethod = PskcXml.child(container, PskcXml.PSKC, "MACMethod").orElse(null);
        Element macKeyElement = macMethod == null ? null : PskcXml.child(macMethod, PskcXml.PSKC, "MACKey").orElse(null);
        String macAlgorithm = macMethod == null ? null : PskcAlgorithms.mac(PskcXml.attribute(macMethod, "Algorithm").orElse(""))
                .orElseThrow(() -> unsupported("Unsupported MAC algorithm"));
        int macKeyCipherBytes = macKeyElement == null ? BLOCK : cipherKeyBytes(macKeyElement);

        Secret key = encryptionKey(container, credentials, macKeyCipherBytes);
        if (macMethod == null) {
            key.destroy();
            throw new PskcException(Reason.MISSING_MAC, "Encrypted keys need a MACMethod, so that their integrity can be checked");
        }
        if (macKeyElement == null) {
            key.destroy();
            if (PskcXml.child(macMethod, PskcXml.PSKC, "MACKeyReference").isPresent()) {
                throw unsupported("MACKeyReference is not supported; the MAC key must travel in MACKey");
            }
            throw malformed("MACMethod has no MACKey");
        }
        try {
            Secret macKey = decrypt(key, macKeyElement);
            return new PskcEncryption(key, macKey, macAlgorithm);
        } catch (PskcException e) {
            key.destroy();
            throw e;
        }
    }

    /**
     * The plain value of an {@code EncryptedValue}, after its {@code ValueMAC} (which may be
     * {@code null} when the document has none) matched.
     */
    Secret open(Element encryptedValue, Element valueMac) {
        if (valueMac == null) {
            throw new PskcException(Reason.MISSING_MAC, "An encrypted value has no ValueMAC");
        }
        byte[] expected = PskcXml.base64(valueMac.getTextContent(), "A ValueMAC");
        byte[] ivAndCipherText = cipherValue(encryptedValue);
        if (!ConstantTime.equal(expected, hmac(ivAndCipherText))) {
            throw PskcException.wrongPasswordOrMac();
        }
        return decrypt(key, encryptedValue);
    }

    @Override
    public void close() {
        key.destroy();
        macKey.destroy();
    }

    private byte[] hmac(byte[] data) {
        byte[] k = macKey.reveal();
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(k, macAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks " + macAlgorithm, e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static Secret encryptionKey(Element container, PskcCredentials credentials, int cipherKeyBytes) {
        Element encryptionKey = PskcXml.child(container, PskcXml.PSKC, "EncryptionKey").orElse(null);
        if (encryptionKey != null) {
            Element derivedKey = PskcXml.child(encryptionKey, PskcXml.XENC11, "DerivedKey").orElse(null);
            if (derivedKey != null) {
                PskcPbkdf2 pbkdf2 = PskcPbkdf2.from(derivedKey);
                char[] password = credentials.password().orElseThrow(() -> new PskcException(Reason.MISSING_PASSWORD,
                        "The keys are encrypted under a password; supply it to import them"));
                try {
                    return pbkdf2.derive(password, cipherKeyBytes);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            if (PskcXml.child(encryptionKey, PskcXml.DS, "KeyName").isEmpty()) {
                throw unsupported("Only pre-shared and password-based encryption keys are supported, not certificates");
            }
        }
        return credentials.preSharedKey().map(k -> Secret.copyOf(k.reveal()))
                .orElseThrow(() -> new PskcException(Reason.MISSING_PRE_SHARED_KEY,
                        "The keys are encrypted under a pre-shared key; supply it to import them"));
    }

    private static int cipherKeyBytes(Element encrypted) {
        Element method = PskcXml.child(encrypted, PskcXml.XENC, "EncryptionMethod")
                .orElseThrow(() -> malformed("An encrypted value has no EncryptionMethod"));
        return PskcAlgorithms.aesCbcKeyBytes(PskcXml.attribute(method, "Algorithm").orElse(""))
                .orElseThrow(() -> unsupported("Only AES-128-CBC, AES-192-CBC and AES-256-CBC are supported for encrypted values"));
    }

    private static byte[] cipherValue(Element encrypted) {
        Element cipherData = PskcXml.child(encrypted, PskcXml.XENC, "CipherData")
                .orElseThrow(() -> malformed("An encrypted value has no CipherData"));
        String text = PskcXml.text(cipherData, PskcXml.XENC, "CipherValue")
                .orElseThrow(() -> unsupported("Only an inline CipherValue is supported"));
        byte[] ivAndCipherText = PskcXml.base64(text, "A CipherValue");
        if (ivAndCipherText.length < 2 * BLOCK || ivAndCipherText.length % BLOCK != 0) {
            throw malformed("A CipherValue is not an IV followed by whole AES blocks");
        }
        return ivAndCipherText;
    }

    /** AES-CBC with the IV in front, and the XML Encryption padding, whose last byte is its length. */
    private static Secret decrypt(Secret key, Element encrypted) {
        int keyBytes = cipherKeyBytes(encrypted);
        byte[] ivAndCipherText = cipherValue(encrypted);
        if (key.length() != keyBytes) {
            throw PskcException.wrongPasswordOrMac();
        }
        byte[] k = key.reveal();
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new IvParameterSpec(ivAndCipherText, 0, BLOCK));
            plain = cipher.doFinal(ivAndCipherText, BLOCK, ivAndCipherText.length - BLOCK);
            int padding = plain[plain.length - 1] & 0xff;
            if (padding < 1 || padding > BLOCK || padding >= plain.length) {
                throw PskcException.wrongPasswordOrMac();
            }
            byte[] value = Arrays.copyOf(plain, plain.length - padding);
            try {
                return Secret.copyOf(value);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        } finally {
            Arrays.fill(k, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static PskcException unsupported(String message) {
        return new PskcException(Reason.UNSUPPORTED_ALGORITHM, message);
    }
}
