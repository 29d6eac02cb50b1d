package org.countersign.portal.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.countersign.portal.client.ProvisioningClient;
import org.countersign.portal.client.PushClient;
import org.countersign.portal.domain.Device;
import org.countersign.portal.domain.Instance;
import org.countersign.portal.domain.Notice;
import org.countersign.portal.domain.PendingApproval;
import org.countersign.portal.domain.UnknownDeviceException;
import org.jboss.logging.Logger;

/**
 * "My devices": the signed-in user's instances and their removal. The portal's token can see every user
 * of its domain, so each device named in a request is checked to be the signed-in user's own.
 */
@ApplicationScoped
public class DeviceService {

    private static final Logger LOG = Logger.getLogger(DeviceService.class);

    private final ProvisioningClient provisioning;
    private final PushClient push;
    private final SessionService sessions;

    public DeviceService(ProvisioningClient provisioning, PushClient push, SessionService sessions) {
        this.provisioning = provisioning;
        this.push = push;
        this.sessions = sessions;
    }

    public Uni<DeviceList> devicesOf(String userId) {
        return Uni.combine().all().unis(provisioning.instances(userId), push.viewOf(userId)).asTuple().map(both -> {
            List<Device> devices = both.getItem1().stream().filter(Instance::active)
                    .map(instance -> new Device(instance, both.getItem2().devices().get(instance.instanceId()))).toList();
            return new DeviceList(devices, both.getItem2().available(), both.getItem2().approvals());
        });
    }

    /** The push requests waiting for the user's phone, newest first; fails when the push-service cannot say. */
    public Uni<List<PendingApproval>> approvalsOf(String userId) {
        return push.pendingOf(userId);
    }

    /** The user's own active instance of that id, or UnknownDeviceException. */
    public Uni<Instance> own(String userId, String instanceId) {
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9-]{1,64}")) {
            return Uni.createFrom().failure(new UnknownDeviceException());
        }
        return provisioning.instance(instanceId).map(instance -> {
            if (instance == null || !instance.active() || !userId.equals(instance.userId())) {
                throw new UnknownDeviceException();
            }
            return instance;
        });
    }

    /** Revokes one of the user's devices; the next page says so. */
    public Uni<CurrentSession> remove(CurrentSession current, String csrf, String instanceId) {
        sessions.requireCsrf(current, csrf);
        String userId = current.session().userId();
        return own(userId, instanceId)
                .call(instance -> provisioning.revoke(instance.instanceId()))
                .chain(instance -> {
                    LOG.infof("User %s removed instance %s", userId, instance.instanceId());
                    return sessions.save(current, current.session().withNotice(new Notice("removed", instance.serialNumber())));
                });
    }
}
