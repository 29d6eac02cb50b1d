package org.countersign.deviceauth;

/**
 * Who called: a device whose token passed every check.
 *
 * @param instanceId its authenticator instance
 * @param domain its tenant: a device acts in its own domain only
 * @param userId its user
 */
public record DeviceIdentity(String instanceId, String domain, String userId) {
}
