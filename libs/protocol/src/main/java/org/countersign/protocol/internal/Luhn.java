package org.countersign.protocol.internal;

/** The Luhn (mod 10) check digit that protocol.md appends to a device code. */
public final class Luhn {

    private Luhn() {
    }

    /** @param payload one or more ASCII digits, without the check digit */
    public static char checkDigit(String payload) {
        requireDigits(payload);
        int sum = 0;
        // The rightmost payload digit is doubled, because the check digit will sit to its right.
        boolean doubled = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int d = payload.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    /** @param code two or more ASCII digits, the last of which is the check digit */
    public static boolean valid(String code) {
        requireDigits(code);
        if (code.length() < 2) {
            throw new IllegalArgumentException("A Luhn code has a payload and a check digit");
        }
        return checkDigit(code.substring(0, code.length() - 1)) == code.charAt(code.length() - 1);
    }

    public static boolean asciiDigits(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static void requireDigits(String text) {
        if (!asciiDigits(text)) {
            throw new IllegalArgumentException("Luhn works on ASCII digits only");
        }
    }
}
