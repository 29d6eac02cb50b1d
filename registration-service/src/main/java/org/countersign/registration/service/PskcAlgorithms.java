package org.countersign.registration.service;

import java.util.Map;
import java.util.Optional;
import org.countersign.registration.domain.PskcKind;

/** The algorithm URIs we accept in a PSKC document; anything else is refused as unsupported. */
final class PskcAlgorithms {

    static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    static final String PIN = "urn:ietf:params:xml:ns:keyprov:pskc:pin";
    /** The algorithm-profile spelling, followed by the RFC 6287 suite. */
    static final String OCRA_PREFIX = "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1:";
    private static final Map<String, PskcKind> KINDS = Map.of(
            HOTP, PskcKind.HOTP,
            "urn:ietf:params:xml:ns:keyprov:pskc#totp", PskcKind.TOTP,
            "urn:ietf:params:xml:ns:keyprov:pskc:totp", PskcKind.TOTP);

    /** XML Encryption block ciphers, by key length in bytes. CBC only: the IV is prepended to the cipher text. */
    private static final Map<String, Integer> AES_CBC_KEY_BYTES = Map.of(
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc", 16,
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc", 24,
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc", 32);

    /** RFC 6030 recommends HMAC-SHA1; the SHA-2 HMACs are the RFC 4051 URIs it also lists. */
    private static final Map<String, String> MACS = Map.of(
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "HmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224", "HmacSHA224",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HmacSHA256",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384", "HmacSHA384",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512", "HmacSHA512");

    static final String PBKDF2 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2";
    /** PKCS #5 makes HMAC-SHA1 the PRF when {@code PRF} is empty or absent. */
    static final String DEFAULT_PRF = "PBKDF2WithHmacSHA1";
    private static final Map<String, String> PRFS = Map.of(
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "PBKDF2WithHmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224", "PBKDF2WithHmacSHA224",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "PBKDF2WithHmacSHA256",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384", "PBKDF2WithHmacSHA384",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512", "PBKDF2WithHmacSHA512");

    private PskcAlgorithms() {
    }

    static Optional<PskcKind> kind(String algorithm) {
        if (algorithm.startsWith(OCRA_PREFIX)) {
            return Optional.of(PskcKind.OCRA);
        }
        return Optional.ofNullable(KINDS.get(algorithm));
    }

    static Optional<Integer> aesCbcKeyBytes(String algorithm) {
        return Optional.ofNullable(AES_CBC_KEY_BYTES.get(algorithm));
    }

    static Optional<String> mac(String algorithm) {
        return Optional.ofNullable(MACS.get(algorithm));
    }

    static Optional<String> prf(String algorithm) {
        return Optional.ofNullable(PRFS.get(algorithm));
    }
}
