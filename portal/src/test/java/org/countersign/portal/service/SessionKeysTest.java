package org.countersign.portal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.secrets.Aead;
import org.junit.jupiter.api.Test;

/** What a session cookie stands for: computed here independently with the JDK, and never interchangeable. */
class SessionKeysTest {

    private static final String COOKIE = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"; // bytes 0..31

    @Test
    void keys_fromAKnownCookie_matchAnIndependentComputation() throws Exception {
        SessionKeys keys = SessionKeys.fromCookie(COOKIE);
        byte[] secret = Base64.getUrlDecoder().decode(COOKIE);
        for (int i = 0; i < 32; i++) {
            assertEquals(i, secret[i]);
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update("countersign/portal/v1/session-id|".getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(sha256.digest(secret)), keys.storeId());
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(
                hmac.doFinal("countersign/portal/v1/csrf".getBytes(StandardCharsets.UTF_8))), keys.csrfToken());
        assertEquals(COOKIE, keys.cookieValue());
        assertFalse(keys.storeId().contains(COOKIE) || keys.csrfToken().equals(COOKIE), "neither gives the cookie away");
    }

    @Test
    void csrf_ofAnotherSessionOrMissing_refused() {
        SessionKeys mine = SessionKeys.random();
        SessionKeys other = SessionKeys.random();
        assertTrue(mine.csrfMatches(mine.csrfToken()));
        assertFalse(mine.csrfMatches(other.csrfToken()));
        assertFalse(mine.csrfMatches(null));
        assertFalse(mine.csrfMatches(""));
        assertFalse(mine.csrfMatches(mine.csrfToken().substring(1)));
        assertNotEquals(mine.storeId(), other.storeId());
    }

    @Test
    void sealed_opensOnlyInItsSessionForItsPurpose() {
        SessionKeys mine = SessionKeys.random();
        String sealed = mine.seal("countersign://activate?secret", "activation-message");
        assertFalse(sealed.contains("secret"));
        assertEquals("countersign://activate?secret", SessionKeys.fromCookie(mine.cookieValue()).open(sealed, "activation-message"));
        assertNotEquals(sealed, mine.seal("countersign://activate?secret", "activation-message"), "a fresh nonce each time");
        assertThrows(Aead.AeadException.class, () -> mine.open(sealed, "device-code"));
        assertThrows(Aead.AeadException.class, () -> SessionKeys.random().open(sealed, "activation-message"));
    }

    @Test
    void fromCookie_anythingButWhatThePortalSets_isNoSession() {
        assertNull(SessionKeys.fromCookie(null));
        assertNull(SessionKeys.fromCookie(""));
        assertNull(SessionKeys.fromCookie(COOKIE + "A"));
        assertNull(SessionKeys.fromCookie(COOKIE.substring(1)));
        assertNull(SessionKeys.fromCookie(COOKIE.replace('A', '+')));
        assertEquals(43, SessionKeys.random().cookieValue().length());
    }
}
