package org.countersign.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.countersign.protocol.OcraInput;
import org.countersign.protocol.OcraSuite;

/**
 * The message that RFC 6287 section 5.1 feeds to the HMAC: OCRASuite | 00 | [C] | Q | [P | S | T].
 * Padding follows the RFC's reference implementation (Appendix A): Q is right-padded with zero
 * nibbles to 128 bytes, S is left-padded with zero bytes to nnn, C and T are 8-byte big-endian.
 */
public final class OcraDataInput {

    private static final int QUESTION_BYTES = 128;

    private OcraDataInput() {
    }

    public static byte[] of(OcraSuite suite, OcraInput input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(suite.format().getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        if (suite.usesCounter() != (input.counter() != null)) {
            throw new IllegalArgumentException(suite.usesCounter() ? "The suite needs a counter" : "The suite has no counter");
        }
        if (suite.usesCounter()) {
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(input.counter()).array());
        }
        out.writeBytes(questions(suite, input));
        if (suite.usesPin() != (input.pinHash() != null)) {
            throw new IllegalArgumentException(suite.usesPin() ? "The suite needs a PIN hash" : "The suite has no PIN");
        }
        if (suite.usesPin()) {
            byte[] pinHash = input.pinHash().reveal();
            try {
                if (pinHash.length != suite.pinHash().outputLength()) {
                    throw new IllegalArgumentException("The PIN hash must have " + suite.pinHash().outputLength() + " bytes");
                }
                out.writeBytes(pinHash);
            } finally {
                Arrays.fill(pinHash, (byte) 0);
            }
        }
        byte[] session = input.session();
        if (suite.usesSession() != (session != null)) {
            throw new IllegalArgumentException(suite.usesSession() ? "The suite needs session information" : "The suite has no session information");
        }
        if (suite.usesSession()) {
            if (session.length > suite.sessionLength()) {
                throw new IllegalArgumentException("The session information has more than " + suite.sessionLength() + " bytes");
            }
            out.writeBytes(new byte[suite.sessionLength() - session.length]);
            out.writeBytes(session);
        }
        if (suite.usesTime() != (input.timeStep() != null)) {
            throw new IllegalArgumentException(suite.usesTime() ? "The suite needs a time step" : "The suite has no time step");
        }
        if (suite.usesTime()) {
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(input.timeStep()).array());
        }
        return out.toByteArray();
    }

    /** The questions are concatenated first and then encoded, as the RFC's mutual vectors do. */
    private static byte[] questions(OcraSuite suite, OcraInput input) {
        StringBuilder joined = new StringBuilder();
        for (String question : input.questions()) {
            if (!OcraChallenges.valid(suite, question)) {
                throw new IllegalArgumentException("A challenge question does not fit the suite " + suite);
            }
            joined.append(question);
        }
        String hex = switch (suite.challengeFormat()) {
            case NUMERIC -> new BigInteger(joined.toString(), 10).toString(16);
            case ALPHANUMERIC -> HexFormat.of().formatHex(joined.toString().getBytes(StandardCharsets.US_ASCII));
            case HEX -> joined.toString();
        };
        // Right-padding with zero nibbles, not bytes: an odd-length hex value keeps its leading nibble first.
        String padded = hex + "0".repeat(QUESTION_BYTES * 2 - hex.length());
        return HexFormat.of().parseHex(padded);
    }
}
