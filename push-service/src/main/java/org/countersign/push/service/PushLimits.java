package org.countersign.push.service;

/**
 * The limits of a push request. The message and fields are those of offline signing
 * (otp-service SigningLimits), so that one transaction can go either way; a push request has no
 * colour code to fit, so no byte limit beyond the body's.
 */
public final class PushLimits {

    /** Characters (UTF-16 units) of the message. */
    public static final int MAX_MESSAGE_LENGTH = 300;
    public static final int MAX_FIELDS = 8;
    public static final int MAX_FIELD_NAME_LENGTH = 40;
    public static final int MAX_FIELD_VALUE_LENGTH = 200;
    public static final int MIN_TTL_SECONDS = 10;
    public static final int MAX_TTL_SECONDS = 3600;
    /**
     * Pending requests listed for one user at most: the highest max-open-per-user (PushConfig) allows, so
     * that the list is never cut, even for requests created before an operator lowered that limit.
     */
    public static final int MAX_LISTED_PENDING = 100;

    private PushLimits() {
    }
}
