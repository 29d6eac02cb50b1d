package org.countersign.otp.service;

/**
 * The limits of an offline signing challenge. The binding one is {@link #MAX_PAYLOAD_BYTES}: the
 * sealed payload, base64url-encoded into the {@code countersign://sign} URI with the longest
 * instance id (64 characters) and a challenge id of 36, makes a URI of at most 1,541 bytes, which a
 * colour code at error-correction level M holds in three QR symbols of version 18 (89 x 89
 * modules); SignatureChallengeTest renders and decodes the largest. The per-item limits keep
 * answers specific; their sum may exceed the payload limit (escapes and UTF-8 make bytes grow).
 * Raising any of them needs that test to pass again.
 */
public final class SigningLimits {

    /** Characters (UTF-16 units) of the message. */
    public static final int MAX_MESSAGE_LENGTH = 300;
    public static final int MAX_FIELDS = 8;
    public static final int MAX_FIELD_NAME_LENGTH = 40;
    public static final int MAX_FIELD_VALUE_LENGTH = 200;
    /** UTF-8 bytes of the payload JSON as it is sealed (message, fields and expiresAt, escaped). */
    public static final int MAX_PAYLOAD_BYTES = 1024;
    public static final int MIN_TTL_SECONDS = 30;
    public static final int DEFAULT_TTL_SECONDS = 300;
    public static final int MAX_TTL_SECONDS = 3600;
    /** The QR version that the largest signing message needs in each of a colour code's symbols at level M. */
    public static final int MAX_QR_VERSION = 18;

    private SigningLimits() {
    }
}
