package org.countersign.protocol.internal;

import org.countersign.protocol.OcraSuite;
import org.countersign.secrets.Randomness;

/** Challenge questions in a suite's format: checking them, and drawing new ones. */
public final class OcraChallenges {

    private static final String DIGITS = "0123456789";
    private static final String HEX = "0123456789ABCDEF";
    // Upper case only: challenges are typed into tokens, and case is easy to get wrong.
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private OcraChallenges() {
    }

    /** 1 to xx characters of the suite's format; alphanumeric allows either case, as does hex. */
    public static boolean valid(OcraSuite suite, String question) {
        if (question == null || question.isEmpty() || question.length() > suite.challengeLength()) {
            return false;
        }
        for (int i = 0; i < question.length(); i++) {
            char c = question.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean ok = switch (suite.challengeFormat()) {
                case NUMERIC -> digit;
                case HEX -> digit || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
                case ALPHANUMERIC -> digit || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Exactly xx uniformly drawn characters. */
    public static String draw(OcraSuite suite) {
        String alphabet = switch (suite.challengeFormat()) {
            case NUMERIC -> DIGITS;
            case HEX -> HEX;
            case ALPHANUMERIC -> ALPHANUMERIC;
        };
        // Rejection sampling: only bytes below the largest multiple of the alphabet size are used,
        // so that every character is equally likely.
        int limit = 256 - 256 % alphabet.length();
        StringBuilder out = new StringBuilder(suite.challengeLength());
        while (out.length() < suite.challengeLength()) {
            for (byte b : Randomness.bytes(suite.challengeLength())) {
                int value = b & 0xFF;
                if (value < limit && out.length() < suite.challengeLength()) {
                    out.append(alphabet.charAt(value % alphabet.length()));
                }
            }
        }
        return out.toString();
    }
}
