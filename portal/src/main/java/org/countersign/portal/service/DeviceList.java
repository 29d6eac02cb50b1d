package org.countersign.portal.service;

import java.util.List;
import org.countersign.portal.domain.Device;
import org.countersign.portal.domain.PendingApproval;

/**
 * The user's active devices, oldest first, with what the push-service adds; {@code pushAvailable} is false
 * when it could not be asked (the devices are listed all the same).
 */
public record DeviceList(List<Device> devices, boolean pushAvailable, List<PendingApproval> approvals) {
}
