package org.countersign.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.ActivationState;
import org.countersign.portal.domain.AddedDevice;
import org.countersign.portal.domain.Instance;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Activation steps and the user's instances, through the provisioning-service. */
@ApplicationScoped
public class ProvisioningClient {

    static final String SERVICE = "provisioning-service";

    private final ProvisioningRestClient rest;
    private final Duration timeout;

    public ProvisioningClient(@RestClient ProvisioningRestClient rest, PortalConfig config) {
        this.rest = rest;
        this.timeout = config.services().timeout();
    }

    public Uni<AddedDevice> addDevice(String registrationId, String deviceCode) {
        return Answers.guarded(SERVICE, timeout, rest.addDevice(registrationId, new ProvisioningRestClient.DeviceCodeBody(deviceCode)));
    }

    public Uni<Instance> activate(String registrationId, String deviceCode, String signature) {
        return Answers.guarded(SERVICE, timeout,
                rest.activate(registrationId, new ProvisioningRestClient.ActivateBody(deviceCode, signature)));
    }

    public Uni<Instance> confirmOtp(String registrationId, String otp) {
        return Answers.guarded(SERVICE, timeout, rest.confirmOtp(registrationId, new ProvisioningRestClient.OtpBody(otp)));
    }

    /** Where the activation stands, or null when the provisioning-service has not heard of it yet. */
    public Uni<ActivationState> activation(String registrationId) {
        return Answers.guarded(SERVICE, timeout, rest.activation(registrationId))
                .onFailure(e -> Answers.is(e, "unknown-registration")).recoverWithNull();
    }

    public Uni<List<Instance>> instances(String userId) {
        return Answers.guarded(SERVICE, timeout, rest.instances(userId));
    }

    /** The instance, or null when the domain has none of that id. */
    public Uni<Instance> instance(String instanceId) {
        return Answers.guarded(SERVICE, timeout, rest.instance(instanceId))
                .onFailure(e -> Answers.is(e, "unknown-instance") || Answers.is(e, "not-found")).recoverWithNull();
    }

    public Uni<Void> revoke(String instanceId) {
        return Answers.guarded(SERVICE, timeout, rest.revoke(instanceId));
    }
}
