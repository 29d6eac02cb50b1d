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
    REGISTRATION_UNAVAILABLE("registration-service-unavailable", 503, "Registration service unavailable"),
    /** Online activation: the proof over the CSR is not the one the activation password gives; counted. */
    WRONG_PROOF("wrong-activation-proof", 422, "Wrong activation proof"),
    /** Online activation: the CSR is not a PKCS#10 request in DER. */
    INVALID_CSR("invalid-csr", 400, "Malformed certificate signing request"),
    /** Online activation: the CSR's own signature does not verify with the key it carries. */
    WRONG_CSR_SIGNATURE("wrong-csr-signature", 400, "The certificate signing request is not signed by its key"),
    /** Online activation: the device key is not an EC P-256 key. */
    UNSUPPORTED_DEVICE_KEY("unsupported-device-key", 400, "The device key is not a P-256 key"),
    /** Online activation: the CSR's subject is not exactly CN=&lt;serial number&gt;. */
    WRONG_CSR_SUBJECT("wrong-csr-subject", 400, "The certificate signing request's subject is not the serial number"),
    /** otpauth: the code the app shows is wrong; counted. */
    WRONG_OTP("wrong-activation-otp", 422, "Wrong one-time password"),
    /** migrate: the instance named is another user's, revoked, or already online; the activation failed for good. */
    INSTANCE_NOT_MIGRATABLE("instance-not-migratable", 409, "The instance cannot move online"),
    DEVICE_CA_UNAVAILABLE("device-ca-unavailable", 503, "Online activation unavailable"),
    /** A device call for a registration not known yet, while this replica already holds as many waiting as it may. */
    DEVICE_CALLS_WAITING("device-calls-waiting", 503, "Too many device calls waiting for their registrations");

    private final Spec spec;

    ProvisioningProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
