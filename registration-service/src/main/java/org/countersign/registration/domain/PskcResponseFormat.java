package org.countersign.registration.domain;

import java.util.Objects;

/**
 * A PSKC {@code AlgorithmParameters/ResponseFormat} (RFC 6030): how long the response
 * is and how it is written. Not secret.
 *
 * @param length the number of digits or characters
 * @param encoding how the response is written
 * @param checkDigit whether a Luhn check digit is appended
 */
public record PskcResponseFormat(int length, Encoding encoding, boolean checkDigit) {

    /** The RFC 6030 encodings: DECIMAL, HEXADECIMAL, ALPHANUMERIC, BASE64 or BINARY. */
    public enum Encoding {
        DECIMAL, HEXADECIMAL, ALPHANUMERIC, BASE64, BINARY
    }

    /** RFC 4226 allows no fewer than 6 digits; 10 is where a 31-bit truncated value runs out. */
    public static final int MIN_LENGTH = 6;
    public static final int MAX_LENGTH = 10;

    public PskcResponseFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("A response has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
    }
}
