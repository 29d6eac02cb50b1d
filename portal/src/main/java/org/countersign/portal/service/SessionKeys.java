package org.countersign.portal.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Everything a session cookie stands for, derived from its 32 random bytes and from nothing else: the
 * Redis id (a hash: Redis never sees the cookie), the CSRF token every form carries (an HMAC: nothing to
 * store), and the key that seals the session's secrets in Redis (so Redis alone opens none of them).
 */
public final class SessionKeys {

    private static final Pattern COOKIE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String LABEL = "countersign/portal/v1/";

    private final byte[] secret;

    private SessionKeys(byte[] secret) {
        this.secret = secret;
    }

    /** A new session's keys, from fresh randomness. */
    public static SessionKeys random() {
        return new SessionKeys(Randomness.bytes(32));
    }

    /** The keys of a cookie value, or null when it is not one this portal could have set. */
    public static SessionKeys fromCookie(String value) {
        if (value == null || !COOKIE.matcher(value).matches()) {
            return null;
        }
        return new SessionKeys(Base64.getUrlDecoder().decode(value));
    }

    public String cookieValue() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Where the session is kept: SHA-256 of the secret, which cannot be turned back into a cookie. */
    public String storeId() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((LABEL + "session-id|").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CSRF token of this session's forms. */
    public String csrfToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("csrf"));
    }

    /** Whether a form's token is this session's, compared in constant time. */
    public boolean csrfMatches(String token) {
        return token != null && ConstantTime.equal(csrfToken(), token);
    }

    /** Seals a secret of the session's for one purpose (bound into the AAD, with the portal's session as owner). */
    public String seal(String plaintext, String purpose) {
        Secret clear = Secret.wipingCopyOf(plaintext.getBytes(StandardCharsets.UTF_8));
        try {
            return pageState().seal(clear, binding(purpose)).toText();
        } finally {
            clear.destroy();
        }
    }

    /** @throws Aead.AeadException when it was sealed by another session or for another purpose */
    public String open(String sealed, String purpose) {
        Secret clear = pageState().open(SealedValue.parse(sealed), binding(purpose));
        byte[] bytes = clear.reveal();
        try {
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            clear.destroy();
        }
    }

    private Keyring pageState() {
        return Keyring.of("session", Secret.wipingCopyOf(hmac("page-state")));
    }

    private static Binding binding(String purpose) {
        return Binding.of(purpose, LABEL + "session");
    }

    private byte[] hmac(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal((LABEL + label).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SessionKeys[hidden]";
    }
}
