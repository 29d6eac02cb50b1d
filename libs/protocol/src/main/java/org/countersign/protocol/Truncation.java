package org.countersign.protocol;

/**
 * {@code DT(h, d)} of protocol.md: the dynamic truncation of RFC 4226 section 5.3 (offset = low 4
 * bits of the last byte, 31 bits from there), taken mod 10^d and left-padded with zeros. HOTP,
 * TOTP, OCRA, device codes and signatures all end here.
 */
public final class Truncation {

    /** OCRA allows 4 to 10 digits (RFC 6287 section 5.2); the OTP policies use 6 to 8. */
    public static final int MIN_DIGITS = 4;
    public static final int MAX_DIGITS = 10;

    private static final long[] POWERS = new long[MAX_DIGITS + 1];

    static {
        POWERS[0] = 1;
        for (int i = 1; i <= MAX_DIGITS; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private Truncation() {
    }

    /**
     * @param hmac an HMAC output of at least 20 bytes (the offset can reach byte 19)
     * @param digits 4 to 10
     * @return exactly {@code digits} ASCII digits
     */
    public static String dt(byte[] hmac, int digits) {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("DT gives 4 to 10 digits, not " + digits);
        }
        if (hmac == null || hmac.length < 20) {
            throw new IllegalArgumentException("DT needs an HMAC output of at least 20 bytes");
        }
        long value = Integer.toUnsignedLong(truncate(hmac)) % POWERS[digits];
        String text = Long.toString(value);
        return "0".repeat(digits - text.length()) + text;
    }

    /** The 31-bit number that RFC 4226 calls Sbits, before it is reduced to digits. */
    static int truncate(byte[] hmac) {
        int offset = hmac[hmac.length - 1] & 0x0F;
        return (hmac[offset] & 0x7F) << 24
                | (hmac[offset + 1] & 0xFF) << 16
                | (hmac[offset + 2] & 0xFF) << 8
                | (hmac[offset + 3] & 0xFF);
    }
}
