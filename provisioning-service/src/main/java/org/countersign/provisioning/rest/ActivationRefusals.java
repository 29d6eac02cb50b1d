package org.countersign.provisioning.rest;

import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.service.ActivationOutcome;
import org.countersign.web.ProblemException;

/** The problem for a refusal that was counted and committed before the answer, for every kind of activation. */
final class ActivationRefusals {

    private ActivationRefusals() {
    }

    static ProblemException of(ActivationOutcome outcome) {
        if (outcome instanceof ActivationOutcome.Failed failed) {
            return failed.why().equals(ActivationOutcome.INSTANCE_NOT_MIGRATABLE)
                    ? new ProblemException(ProvisioningProblem.INSTANCE_NOT_MIGRATABLE, "The instance to move online is another "
                            + "user's, revoked, or already online: the activation failed for good")
                    : new ProblemException(ProvisioningProblem.ACTIVATION_FAILED,
                            "Too many failed attempts: the activation failed for good; register again");
        }
        ActivationOutcome.Counted counted = (ActivationOutcome.Counted) outcome;
        String left = counted.attemptsLeft() + (counted.attemptsLeft() == 1 ? " attempt" : " attempts") + " left";
        return switch (counted.why()) {
            case "wrong-signature" -> new ProblemException(ProvisioningProblem.WRONG_SIGNATURE, "The signature is wrong; " + left);
            case "wrong-confirmation" -> new ProblemException(ProvisioningProblem.WRONG_SIGNATURE,
                    "The confirmation code or the device's signature is wrong; " + left);
            case "wrong-otp" -> new ProblemException(ProvisioningProblem.WRONG_OTP, "The code is wrong; " + left);
            case "repeated-enrolment" -> new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                    "A device already enrolled on this registration; this call was counted as a failed attempt; " + left);
            default -> new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                    "A device was already added to this registration; this call was counted as a failed attempt; " + left);
        };
    }
}
