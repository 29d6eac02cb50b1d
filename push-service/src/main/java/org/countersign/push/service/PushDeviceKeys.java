package org.countersign.push.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.countersign.deviceauth.DeviceKey;
import org.countersign.deviceauth.DeviceKeys;
import org.countersign.protocol.P256;
import org.countersign.push.repository.DeviceQueries;

/**
 * Which devices may call with a device token: active online devices whose certificate has not
 * expired, with the key their activation event carried. A revoked device is refused from the moment
 * its revocation is read.
 */
@ApplicationScoped
public class PushDeviceKeys implements DeviceKeys {

    private final DeviceQueries devices;
    private final Clock clock;

    public PushDeviceKeys(DeviceQueries devices, Clock clock) {
        this.devices = devices;
        this.clock = clock;
    }

    @Override
    public Uni<DeviceKey> find(String instanceId) {
        return devices.findKey(instanceId).map(row -> row != null && row.active() && clock.instant().isBefore(row.certificateNotAfter())
                ? new DeviceKey(row.instanceId(), row.domain(), row.userId(), P256.decodeSpki(row.publicKey()))
                : null);
    }
}
