package org.countersign.protocol;

/** RFC 4648 base32, upper case, no padding, as protocol.md writes activation passwords. */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /**
     * Strict decoding: upper-case alphabet only, no padding or white space, and the unused trailing
     * bits must be zero (a non-canonical text is refused).
     */
    public static byte[] decode(String text) {
        int bits = text.length() * 5;
        byte[] out = new byte[bits / 8];
        int buffer = 0;
        int held = 0;
        int index = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
            if (value < 0) {
                throw new IllegalArgumentException("Not base32");
            }
            buffer = (buffer << 5) | value;
            held += 5;
            if (held >= 8) {
                out[index++] = (byte) (buffer >> (held - 8));
                held -= 8;
            }
        }
        if (held >= 5 || (buffer & ((1 << held) - 1)) != 0) {
            throw new IllegalArgumentException("Not canonical base32");
        }
        return out;
    }
}
