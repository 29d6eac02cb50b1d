package org.countersign.portal.domain;

import java.util.List;
import java.util.Map;

/**
 * The push-service's side of a user's devices. {@code available} is false when the push-service could not
 * be asked: the device list is still shown, without last sync or approvals.
 */
public record PushView(boolean available, Map<String, PushDevice> devices, List<PendingApproval> approvals) {

    public static PushView unavailable() {
        return new PushView(false, Map.of(), List.of());
    }
}
