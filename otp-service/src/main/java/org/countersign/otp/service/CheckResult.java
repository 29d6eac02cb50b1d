package org.countersign.otp.service;

/**
 * How a check ends, for OTPs and for responses to challenges alike: accepted, rejected (never says
 * why), or locked (too many failures; retry after a while, or ask an admin).
 */
public enum CheckResult {
    ACCEPTED,
    REJECTED,
    LOCKED
}
