package org.countersign.portal.domain;

/** The answer to "add device": the new instance and activation message 2 (secret: never printed). */
public record AddedDevice(String instanceId, String activationMessage2) {

    @Override
    public String toString() {
        return "AddedDevice[" + instanceId + "]";
    }
}
