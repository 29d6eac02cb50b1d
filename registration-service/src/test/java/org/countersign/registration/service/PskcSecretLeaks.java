package org.countersign.registration.service;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** Checks that a text shows a secret in none of the spellings a log or a response would use. */
final class PskcSecretLeaks {

    private PskcSecretLeaks() {
    }

    static void assertHidden(byte[] secret, String text) {
        String hex = HexFormat.of().formatHex(secret);
        assertFalse(text.toLowerCase(Locale.ROOT).contains(hex), "hex of the secret in: " + text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(secret)), "Base64 of the secret in: " + text);
        assertFalse(text.contains(Base64.getEncoder().withoutPadding().encodeToString(secret)), "Base64 of the secret in: " + text);
        // A short printable secret such as RFC 6030 Figure 2's "1234" also occurs inside public ids.
        if (secret.length >= 16) {
            assertFalse(text.contains(new String(secret, StandardCharsets.ISO_8859_1)), "the raw secret in: " + text);
        }
    }
}
