package org.countersign.registration.domain;

/** The OTP algorithms a PSKC token may carry that the otp-service can verify. */
public enum PskcKind {
    /** RFC 4226, algorithm URI {@code urn:ietf:params:xml:ns:keyprov:pskc:hotp} (RFC 6030, HOTP algorithm profile). */
    HOTP,
    /** RFC 6238; the URI comes from the PSKC algorithm profiles, in the {@code #totp} and {@code :totp} spellings. */
    TOTP,
    /** RFC 6287 challenge-response; the URI carries the OCRA suite after {@code #}. */
    OCRA
}
