package org.countersign.deviceauth;

import org.countersign.web.ProblemKind;

/** The one problem of device authentication; its slug and status never change meaning. */
public enum DeviceAuthProblem implements ProblemKind {
    /** Missing, malformed, wrongly signed, expired, replayed, for another audience, or of a device that may not call. */
    INVALID_DEVICE_TOKEN("invalid-device-token", 401, "Invalid device token");

    private final Spec spec;

    DeviceAuthProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
