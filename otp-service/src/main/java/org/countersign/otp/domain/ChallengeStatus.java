package org.countersign.otp.domain;

/**
 * Where a challenge stands, as its row spells it: open until a right response closes it. An OCRA
 * challenge is then accepted, a signing challenge approved (what the user saw was a transaction).
 */
public enum ChallengeStatus {
    PENDING,
    ACCEPTED,
    APPROVED
}
