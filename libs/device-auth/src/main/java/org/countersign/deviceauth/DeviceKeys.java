package org.countersign.deviceauth;

import io.smallrye.mutiny.Uni;

/**
 * Implemented by the service that uses this library: the key a device signs its tokens with, by its
 * instance id. The service decides who may call: an unknown instance, a revoked one, one without a
 * device key, or one whose certificate has expired has no key here.
 */
public interface DeviceKeys {

    /** @return the instance's key and identity, or a null item when it may not call */
    Uni<DeviceKey> find(String instanceId);
}
