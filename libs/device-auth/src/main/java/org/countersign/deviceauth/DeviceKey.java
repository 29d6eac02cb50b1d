package org.countersign.deviceauth;

import java.security.interfaces.ECPublicKey;

/**
 * An active device: its P-256 key and whom it belongs to.
 *
 * @param instanceId the authenticator instance (the token's kid)
 * @param domain its tenant
 * @param userId its user
 * @param publicKey the key its tokens must be signed with
 */
public record DeviceKey(String instanceId, String domain, String userId, ECPublicKey publicKey) {
}
