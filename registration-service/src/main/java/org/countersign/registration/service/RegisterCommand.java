package org.countersign.registration.service;

import org.countersign.registration.domain.ActivationType;

/** What a caller asks to register: a user, optionally a serial number or type, and how to activate. */
public record RegisterCommand(String userId, String serialNumber, String authenticatorType, ActivationType activationType,
                              String instanceId) {
}
