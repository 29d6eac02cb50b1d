package org.countersign.protocol.internal;

import java.util.Base64;

/**
 * base64url of RFC 4648 section 5 without padding. The JDK decoder accepts padding and ignores
 * non-zero trailing bits, so decoding is checked by re-encoding: only the one canonical text of
 * a value is accepted.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {
    }

    public static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    /** @throws IllegalArgumentException unless {@code text} is canonical unpadded base64url */
    public static byte[] decode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("Not base64url");
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not base64url");
        }
        if (!encode(decoded).equals(text)) {
            throw new IllegalArgumentException("Not canonical base64url");
        }
        return decoded;
    }
}
