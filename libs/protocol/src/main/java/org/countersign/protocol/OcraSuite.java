package org.countersign.protocol;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCRA suite (RFC 6287 section 6): {@code OCRA-1:HOTP-<SHA1|SHA256|SHA512>-<t>:<DataInput>} with
 * DataInput {@code [C-]Q<A|N|H><xx>[-P<hash>][-S<nnn>][-T<G>]}. Parsing is strict: every field is
 * written out (no defaults) and numbers have no superfluous leading zeros, so {@link #format()}
 * gives back the parsed string, which is also what goes into the HMAC. Every instance is valid.
 *
 * <p>Bounds: t is 4 to 10 (0, "no truncation", is not supported); xx is 04 to 64; nnn is 001 to
 * 512; G is 1-59S, 1-59M or 1-48H (RFC 6287 erratum 3729).
 */
public final class OcraSuite {

    public enum ChallengeFormat {
        ALPHANUMERIC('A'), NUMERIC('N'), HEX('H');

        private final char letter;

        ChallengeFormat(char letter) {
            this.letter = letter;
        }

        static ChallengeFormat of(char letter) {
            for (ChallengeFormat format : values()) {
                if (format.letter == letter) {
                    return format;
                }
            }
            throw new IllegalArgumentException("Unknown OCRA challenge format");
        }
    }

    private static final Pattern FORMAT = Pattern.compile(
            "OCRA-1:HOTP-(SHA1|SHA256|SHA512)-([1-9][0-9]?)"
            + ":(C-)?Q([ANH])([0-9]{2})(?:-P(SHA1|SHA256|SHA512))?(?:-S([0-9]{3}))?(?:-T([1-9][0-9]?)([SMH]))?");

    private final String text;
    private final OtpAlgorithm algorithm;
    private final int digits;
    private final boolean counter;
    private final ChallengeFormat challengeFormat;
    private final int challengeLength;
    private final OtpAlgorithm pinHash;
    private final int sessionLength;
    private final long timeStepSeconds;

    private OcraSuite(String text, Matcher m) {
        this.text = text;
        this.algorithm = OtpAlgorithm.fromOcraName(m.group(1));
        this.digits = Integer.parseInt(m.group(2));
        if (digits < Truncation.MIN_DIGITS || digits > Truncation.MAX_DIGITS) {
            throw new IllegalArgumentException("An OCRA response has 4 to 10 digits");
        }
        this.counter = m.group(3) != null;
        this.challengeFormat = ChallengeFormat.of(m.group(4).charAt(0));
        this.challengeLength = Integer.parseInt(m.group(5));
        if (challengeLength < 4 || challengeLength > 64) {
            throw new IllegalArgumentException("An OCRA challenge is 04 to 64 characters long");
        }
        this.pinHash = m.group(6) == null ? null : OtpAlgorithm.fromOcraName(m.group(6));
        this.sessionLength = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
        if (m.group(7) != null && (sessionLength < 1 || sessionLength > 512)) {
            throw new IllegalArgumentException("OCRA session information is 001 to 512 bytes long");
        }
        this.timeStepSeconds = m.group(8) == null ? 0 : timeStep(Integer.parseInt(m.group(8)), m.group(9).charAt(0));
    }

    private static long timeStep(int size, char unit) {
        int max = unit == 'H' ? 48 : 59;
        if (size > max) {
            throw new IllegalArgumentException("An OCRA time step is 1-59S, 1-59M or 1-48H");
        }
        return size * (unit == 'S' ? 1L : unit == 'M' ? 60L : 3600L);
    }

    /** @throws IllegalArgumentException unless {@code text} is an OCRA suite this class supports */
    public static OcraSuite parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("Not an OCRA suite: expected OCRA-1:HOTP-<hash>-<digits>:"
                    + "[C-]Q<A|N|H><xx>[-P<hash>][-S<nnn>][-T<G>]");
        }
        return new OcraSuite(text, m);
    }

    public OtpAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public boolean usesCounter() {
        return counter;
    }

    public ChallengeFormat challengeFormat() {
        return challengeFormat;
    }

    /** The most characters one challenge question may have (xx). */
    public int challengeLength() {
        return challengeLength;
    }

    public boolean usesPin() {
        return pinHash != null;
    }

    /** @throws IllegalStateException when the suite has no P */
    public OtpAlgorithm pinHash() {
        if (pinHash == null) {
            throw new IllegalStateException("The suite has no PIN");
        }
        return pinHash;
    }

    public boolean usesSession() {
        return sessionLength > 0;
    }

    /** nnn: bytes of session information, 0 when the suite has no S. */
    public int sessionLength() {
        return sessionLength;
    }

    public boolean usesTime() {
        return timeStepSeconds > 0;
    }

    /** G in seconds, 0 when the suite has no T. */
    public long timeStepSeconds() {
        return timeStepSeconds;
    }

    /** T for a Unix time: whole time steps since 1970-01-01T00:00:00Z (RFC 6287 section 5.1). */
    public long timeStep(long unixSeconds) {
        if (!usesTime()) {
            throw new IllegalStateException("The suite has no T");
        }
        return Math.floorDiv(unixSeconds, timeStepSeconds);
    }

    public String format() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OcraSuite that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }
}
