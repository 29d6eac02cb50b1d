package org.countersign.provisioning.domain;

import org.countersign.web.ProblemKind;

/** The provisioning-service's business problems; slugs and statuses never change meaning. */
public enum ProvisioningProblem implements ProblemKind {
    INVALID_DEVICE_CODE("invalid-device-code", 400, "Invalid device code"),
    WRONG_SIGNATURE("wrong-activation-signature", 422, "Wrong activation signature"),
    ACTIVATION_STATE("activation-state-conflict", 409, "The activation's state forbids this call"),
    ACTIVATION_FAILED("activation-failed", 409, "The activation failed for good"),
    REGISTRATION_CLOSED("registration-closed", 409, "Registration is no longer pending"),
    WRONG_ACTIVATION_TYPE("wrong-activation-type", 409, "Registration is for another activation type"),
    REGISTRATION_EXPIRED("registration-expired", 410, "Registration expired"),
    UNKNOWN_REGISTRATION("unknown-registration", 404, "Unknown registration"),
    UNKNOWN_INSTANCE("unknown-instance", 404, "Unknown authenticator instance"),
    REGISTRATION_UNAVAILABLE("registration-service-unavailable", 503, "Registration service unavailable");

    private final Spec spec;

    ProvisioningProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
