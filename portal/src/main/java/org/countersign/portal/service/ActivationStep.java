package org.countersign.portal.service;

import java.util.Set;
import org.countersign.portal.domain.ActivationFlow;

/**
 * The page of the activation under way: its flow and the image to scan now (PNG), or no flow when none
 * is under way or it has just finished (the session then holds a notice saying how it ended).
 * {@code preparing}: a phone could not use the code yet (the provisioning-service has not heard of the
 * registration), so the page waits instead of showing it.
 */
public record ActivationStep(CurrentSession session, ActivationFlow flow, byte[] image, boolean preparing) {

    /** Failures after which the activation cannot go on: the user starts again. */
    static final Set<String> FINAL = Set.of("registration-expired", "activation-failed", "registration-closed",
            "instance-not-migratable", "wrong-activation-type", "unknown-registration");

    /** Whether the activation has ended without a device: only "start again" is left. */
    public boolean ended() {
        return flow != null && flow.error() != null
                && (FINAL.contains(flow.error()) || (flow.attemptsLeft() != null && flow.attemptsLeft() <= 0));
    }
}
