package org.countersign.portal.domain;

import java.time.Instant;

/** What the push-service knows of an online device: biometric protection, its channel and last contact. */
public record PushDevice(String instanceId, boolean biometric, boolean connected, Instant lastSyncAt) {
}
