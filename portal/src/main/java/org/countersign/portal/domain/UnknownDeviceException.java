package org.countersign.portal.domain;

/** No active device of that id belongs to the signed-in user (another user's or domain's looks the same). */
public final class UnknownDeviceException extends RuntimeException {

    public UnknownDeviceException() {
        super("No such device", null, false, false);
    }
}
