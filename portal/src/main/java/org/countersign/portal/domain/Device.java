package org.countersign.portal.domain;

/** One of the user's devices: its instance, and what the push-service knows of it (null when nothing). */
public record Device(Instance instance, PushDevice push) {

    /** offline, online or otpauth (a stock authenticator app). */
    public String mode() {
        return instance.mode();
    }
}
