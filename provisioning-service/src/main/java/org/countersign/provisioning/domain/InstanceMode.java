package org.countersign.provisioning.domain;

/** How an instance was activated: through two images (offline) or with device keys (online). */
public enum InstanceMode {
    OFFLINE,
    ONLINE
}
