package org.countersign.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.countersign.protocol.internal.Hmac;
import org.countersign.protocol.internal.OcraChallenges;
import org.countersign.protocol.internal.OcraDataInput;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Secret;

/**
 * OCRA (RFC 6287): responses, their verification, and challenges. One-way challenge-response,
 * mutual challenge-response (two questions, in the order the RFC's section 7.2 joins them) and
 * plain signatures are all this one computation over different inputs.
 */
public final class Ocra {

    private Ocra() {
    }

    /** DT(HMAC(K, OCRASuite | 00 | [C] | Q | [P | S | T]), digits). */
    public static String response(OcraSuite suite, Secret key, OcraInput input) {
        return Truncation.dt(Hmac.compute(suite.algorithm(), key, OcraDataInput.of(suite, input)), suite.digits());
    }

    /**
     * Checks a response to exactly this input, in constant time.
     *
     * @throws InvalidCodeException when the response is not exactly {@code digits} ASCII digits or does not match
     */
    public static void verify(OcraSuite suite, Secret key, OcraInput input, String response) {
        if (!wellFormed(suite, response) | !ConstantTime.equal(response, response(suite, key, input))) {
            throw new InvalidCodeException();
        }
    }

    /**
     * Checks a response over a window of moving factors: counters when the suite has C (with T, if
     * any, taken from the input), time steps otherwise. Every candidate is compared; the lowest
     * match is returned so that the caller can keep replay state as for OTPs.
     *
     * @throws IllegalArgumentException when the suite has neither C nor T
     * @throws InvalidCodeException as {@link #verify(OcraSuite, Secret, OcraInput, String)}, or when the window is empty
     */
    public static long verify(OcraSuite suite, Secret key, OcraInput input, String response, OtpWindow window) {
        if (!suite.usesCounter() && !suite.usesTime()) {
            throw new IllegalArgumentException("The suite " + suite + " has no counter or time step to search");
        }
        boolean wellFormed = wellFormed(suite, response);
        long matched = -1;
        for (long m = window.first(); m <= window.last(); m++) {
            OcraInput candidate = suite.usesCounter() ? input.withCounter(m) : input.withTimeStep(m);
            boolean equal = ConstantTime.equal(response, response(suite, key, candidate));
            matched = equal && matched < 0 ? m : matched;
        }
        if (!wellFormed || matched < 0) {
            throw new InvalidCodeException();
        }
        return matched;
    }

    /** A fresh challenge question in the suite's format, exactly xx characters long. */
    public static String challenge(OcraSuite suite) {
        return OcraChallenges.draw(suite);
    }

    /** Whether {@code question} can be a challenge question of this suite. */
    public static boolean validChallenge(OcraSuite suite, String question) {
        return OcraChallenges.valid(suite, question);
    }

    /** P: the PIN's UTF-8 bytes hashed with the suite's PIN hash function. */
    public static Secret hashPin(OcraSuite suite, Secret pin) {
        byte[] bytes = pin.reveal();
        try {
            byte[] digest = MessageDigest.getInstance(suite.pinHash().digestName()).digest(bytes);
            try {
                return Secret.copyOf(digest);
            } finally {
                Arrays.fill(digest, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(suite.pinHash().digestName() + " is unavailable", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean wellFormed(OcraSuite suite, String response) {
        if (response == null || response.length() != suite.digits()) {
            return false;
        }
        for (int i = 0; i < response.length(); i++) {
            if (response.charAt(i) < '0' || response.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
