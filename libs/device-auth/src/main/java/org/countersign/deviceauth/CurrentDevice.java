package org.countersign.deviceauth;

import jakarta.enterprise.context.RequestScoped;

/** The device of the current request, set by the {@link DeviceAuthenticated} check before the resource runs. */
@RequestScoped
public class CurrentDevice {

    private DeviceIdentity identity;

    /** @throws IllegalStateException outside a {@link DeviceAuthenticated} resource: a bug, not a caller's fault */
    public DeviceIdentity identity() {
        if (identity == null) {
            throw new IllegalStateException("No device identity: the resource is not marked @DeviceAuthenticated");
        }
        return identity;
    }

    void set(DeviceIdentity identity) {
        this.identity = identity;
    }
}
