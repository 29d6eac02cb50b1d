package org.countersign.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.PendingApproval;
import org.countersign.portal.domain.PushDevice;
import org.countersign.portal.domain.PushView;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Last sync, biometric protection and pending approvals from the push-service. {@link #viewOf} never fails:
 * when the push-service is down, slow or does not have an endpoint, the answer says so
 * ({@link PushView#available()}) and the device list is shown without them.
 */
@ApplicationScoped
public class PushClient {

    static final String SERVICE = "push-service";
    private static final Logger LOG = Logger.getLogger(PushClient.class);

    private final PushRestClient rest;
    private final Duration timeout;

    public PushClient(@RestClient PushRestClient rest, PortalConfig config) {
        this.rest = rest;
        this.timeout = config.services().pushTimeout();
    }

    /**
     * The user's push requests still waiting for an answer, newest first; fails (ServiceUnavailableException,
     * ServiceProblemException) when the push-service cannot say.
     */
    public Uni<List<PendingApproval>> pendingOf(String userId) {
        return Answers.guarded(SERVICE, timeout, rest.pending(userId, "pending"));
    }

    public Uni<PushView> viewOf(String userId) {
        Uni<Map<String, PushDevice>> devices = Answers.guarded(SERVICE, timeout, rest.devices(userId)).map(list -> {
            Map<String, PushDevice> byInstance = new LinkedHashMap<>();
            list.forEach(device -> byInstance.put(device.instanceId(), device));
            return byInstance;
        });
        Uni<List<PendingApproval>> pending = pendingOf(userId)
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("No pending approvals from the push-service: %s", e.getMessage());
                    return List.of();
                });
        return Uni.combine().all().unis(devices, pending).asTuple()
                .map(both -> new PushView(true, both.getItem1(), both.getItem2()))
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("The push-service's device list is unavailable: %s", e.getMessage());
                    return PushView.unavailable();
                });
    }
}
