package org.countersign.provisioning.domain;

/**
 * How an instance is used: through images, with no network (offline), with a device key (online:
 * activated online, or migrated from offline), or as a stock authenticator app's key (otpauth).
 */
public enum InstanceMode {
    OFFLINE,
    ONLINE,
    OTPAUTH
}
