package org.countersign.registration.service;

import static org.countersign.registration.service.PskcXml.malformed;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.countersign.secrets.Secret;
import org.countersign.registration.service.PskcException.Reason;
import org.w3c.dom.Element;

/**
 * The key of RFC 6030 section 6.2: PBKDF2 (PKCS #5 v2.0) over a password, with the salt, iteration
 * count, key length and PRF taken from {@code xenc11:DerivedKey/xenc11:KeyDerivationMethod}.
 */
final class PskcPbkdf2 {

    /** The document chooses the work factor, so a hostile one could ask for hours of CPU: cap it. */
    static final int MAX_ITERATIONS = 1_000_000;
    private static final int MAX_SALT_BYTES = 1024;

    private final byte[] salt;
    private final int iterations;
    private final Integer keyLength;
    private final String prf;

    private PskcPbkdf2(byte[] salt, int iterations, Integer keyLength, String prf) {
        this.salt = salt;
        this.iterations = iterations;
        this.keyLength = keyLength;
        this.prf = prf;
    }

    static PskcPbkdf2 from(Element derivedKey) {
        Element method = PskcXml.child(derivedKey, PskcXml.XENC11, "KeyDerivationMethod")
                .orElseThrow(() -> malformed("DerivedKey has no KeyDerivationMethod"));
        if (!PskcAlgorithms.PBKDF2.equals(PskcXml.attribute(method, "Algorithm").orElse(""))) {
            throw unsupported("Only PBKDF2 is supported as key derivation method");
        }
        Element params = PskcXml.child(method, PskcXml.PKCS5, "PBKDF2-params")
                .orElseThrow(() -> malformed("The PBKDF2 key derivation has no PBKDF2-params"));
        Element saltElement = PskcXml.childByLocalName(params, "Salt")
                .orElseThrow(() -> malformed("PBKDF2-params has no Salt"));
        Element specified = PskcXml.childByLocalName(saltElement, "Specified")
                .orElseThrow(() -> unsupported("Only a specified PBKDF2 salt is supported"));
        byte[] salt = PskcXml.base64(specified.getTextContent(), "The PBKDF2 salt");
        if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
            throw malformed("The PBKDF2 salt has 1 to " + MAX_SALT_BYTES + " bytes");
        }
        int iterations = positive(params, "IterationCount")
                .orElseThrow(() -> malformed("PBKDF2-params has no IterationCount"));
        if (iterations > MAX_ITERATIONS) {
            throw unsupported("PBKDF2 iteration counts above " + MAX_ITERATIONS + " are not accepted");
        }
        Integer keyLength = positive(params, "KeyLength").orElse(null);
        return new PskcPbkdf2(salt, iterations, keyLength, prf(params));
    }

    /** The key, of the document's KeyLength or else of the length the cipher needs. */
    Secret derive(char[] password, int cipherKeyBytes) {
        int bytes = keyLength == null ? cipherKeyBytes : keyLength;
        if (bytes != 16 && bytes != 24 && bytes != 32) {
            throw malformed("The PBKDF2 key length is not that of an AES key");
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        byte[] key = null;
        try {
            key = SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
            return Secret.copyOf(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks " + prf, e);
        } finally {
            spec.clearPassword();
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static String prf(Element params) {
        return PskcXml.childByLocalName(params, "PRF")
                .flatMap(e -> PskcXml.attribute(e, "Algorithm"))
                .filter(uri -> !uri.isEmpty())
                .map(uri -> PskcAlgorithms.prf(uri).orElseThrow(() -> unsupported("Unsupported PBKDF2 PRF")))
                .orElse(PskcAlgorithms.DEFAULT_PRF);
    }

    private static java.util.Optional<Integer> positive(Element params, String name) {
        return PskcXml.childByLocalName(params, name).map(e -> {
            try {
                int value = Integer.parseInt(e.getTextContent().strip());
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the refusal below
            }
            throw malformed("PBKDF2 " + name + " is not a positive integer");
        });
    }

    private static PskcException unsupported(String message) {
        return new PskcException(Reason.UNSUPPORTED_ALGORITHM, message);
    }
}
