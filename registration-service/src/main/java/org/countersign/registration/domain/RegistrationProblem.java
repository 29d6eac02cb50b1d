package org.countersign.registration.domain;

import org.countersign.web.ProblemKind;

/** The registration-service's business problems; slugs and statuses never change meaning. */
public enum RegistrationProblem implements ProblemKind {
    LICENCE_ACTIVATION_LIMIT("licence-activation-limit", 409, "License activation limit reached"),
    USER_AUTHENTICATOR_LIMIT("user-authenticator-limit", 409, "User authenticator limit reached"),
    LICENCE_ASSIGNED_ELSEWHERE("licence-assigned-elsewhere", 409, "Licence belongs to another user"),
    NO_FREE_LICENCE("no-free-licence", 409, "No free licence of this type"),
    LICENCE_TYPE_MISMATCH("licence-type-mismatch", 409, "Licence is of another authenticator type"),
    ACTIVATION_TYPE_NOT_ALLOWED("activation-type-not-allowed", 409, "Activation type not allowed by policy"),
    USER_DEACTIVATED("user-deactivated", 409, "User is deactivated"),
    LICENCE_REVOKED("licence-revoked", 409, "Licence is revoked"),
    DUPLICATE_SERIAL("duplicate-serial-number", 409, "Serial number already in the inventory"),
    LICENCE_IN_USE("licence-in-use", 409, "Licence has activations in use"),
    REGISTRATION_CLOSED("registration-closed", 409, "Registration is no longer pending"),
    /** migrate: the instance already has a pending migration, which must be cancelled or expire first. */
    MIGRATION_PENDING("migration-pending", 409, "A migration of this instance is already pending"),
    UNKNOWN_USER("unknown-user", 404, "Unknown user"),
    UNKNOWN_LICENCE("unknown-licence", 404, "Unknown licence"),
    UNKNOWN_REGISTRATION("unknown-registration", 404, "Unknown registration"),
    UNKNOWN_INSTANCE("unknown-instance", 404, "Unknown authenticator instance"),
    INVALID_PSKC("invalid-pskc", 400, "Invalid PSKC document");

    private final Spec spec;

    RegistrationProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
