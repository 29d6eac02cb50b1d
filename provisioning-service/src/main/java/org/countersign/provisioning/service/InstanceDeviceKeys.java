package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.countersign.deviceauth.DeviceKey;
import org.countersign.deviceauth.DeviceKeys;
import org.countersign.protocol.P256;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.repository.AuthenticatorInstanceRepository;

/**
 * Which devices may call with a device token: active online instances whose certificate has not
 * expired, with the key that certificate holds. A revoked instance's certificate is revoked with it,
 * so its tokens are refused from the moment it is revoked.
 */
@ApplicationScoped
public class InstanceDeviceKeys implements DeviceKeys {

    private final AuthenticatorInstanceRepository instances;
    private final Clock clock;

    public InstanceDeviceKeys(AuthenticatorInstanceRepository instances, Clock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    @Override
    public Uni<DeviceKey> find(String instanceId) {
        // Ids are unique across domains; the device acts in its instance's own domain.
        return instances.findAnyDomain(instanceId).map(instance -> mayCall(instance)
                ? new DeviceKey(instance.instanceId, instance.domain, instance.userId, P256.decodeSpki(instance.publicKey))
                : null);
    }

    private boolean mayCall(AuthenticatorInstance instance) {
        return instance != null && instance.status == InstanceStatus.ACTIVE && instance.mode == InstanceMode.ONLINE
                && instance.publicKey != null && instance.certificateNotAfter != null
                && clock.instant().isBefore(instance.certificateNotAfter);
    }
}
