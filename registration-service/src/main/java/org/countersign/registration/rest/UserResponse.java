package org.countersign.registration.rest;

import java.time.Instant;
import java.util.List;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.service.UserService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user and what they hold. */
@Schema(name = "User")
public record UserResponse(String userId, String domain, String status, Instant createdAt, List<LicenceResponse> licences,
                           List<RegistrationSummary> registrations) {

    /** A registration as the user view lists it. */
    @Schema(name = "RegistrationSummary")
    public record RegistrationSummary(String registrationId, String serialNumber, String authenticatorType,
                                      String activationType, String status, String instanceId, Instant expiresAt) {
        static RegistrationSummary from(Registration r) {
            return new RegistrationSummary(r.id, r.serialNumber, r.authenticatorType, r.activationType, r.status.name(),
                    r.instanceId, r.expiresAt);
        }
    }

    static UserResponse from(UserService.UserView view) {
        return new UserResponse(view.user().userId, view.user().domain, view.user().status.name(), view.user().createdAt,
                view.licences().stream().map(LicenceResponse::from).toList(),
                view.registrations().stream().map(RegistrationSummary::from).toList());
    }
}
