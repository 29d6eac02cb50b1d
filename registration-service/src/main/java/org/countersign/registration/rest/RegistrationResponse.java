package org.countersign.registration.rest;

import java.time.Instant;
import org.countersign.registration.service.NewRegistration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a registration: what the user needs to activate, shown once. */
@Schema(name = "RegistrationResponse")
public record RegistrationResponse(
        @Schema(description = "The registration id (rid)") String registrationId,
        @Schema(description = "The licence serial number") String serialNumber,
        @Schema(description = "The activation password AP, base32; returned this once and stored only sealed. Absent for "
                + "otpauth, whose secret is in the activation message only")
        String activationPassword,
        @Schema(description = "Activation message 1 (offline), the enrolment URI (online, migrate), or the otpauth:// URI "
                + "(otpauth, holding the app's secret: show it once), to render as an image")
        String activationMessage,
        @Schema(description = "When the registration lapses") Instant expiresAt) {

    static RegistrationResponse from(NewRegistration registration) {
        if (registration.activationPassword() == null) {
            return new RegistrationResponse(registration.registrationId(), registration.serialNumber(), null,
                    registration.activationMessage(), registration.expiresAt());
        }
        byte[] ap = registration.activationPassword().reveal();
        try {
            return new RegistrationResponse(registration.registrationId(), registration.serialNumber(),
                    org.countersign.protocol.Base32.encode(ap), registration.activationMessage(), registration.expiresAt());
        } finally {
            java.util.Arrays.fill(ap, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "RegistrationResponse[" + registrationId + "]";
    }
}
