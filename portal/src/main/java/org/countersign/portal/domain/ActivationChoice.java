package org.countersign.portal.domain;

/**
 * Something the user may activate: a licence of theirs (serial number) or a free one of a type from the
 * domain's stock (no serial number), with an activation type its policy allows.
 */
public record ActivationChoice(String serialNumber, String authenticatorType, FlowKind kind, Integer activationsLeft) {

    public boolean available() {
        return activationsLeft == null || activationsLeft > 0;
    }

    /** The radio button's value: {@code serial|type|activationType}, matched against the list again on submit. */
    public String value() {
        return (serialNumber == null ? "" : serialNumber) + "|" + authenticatorType + "|" + kind.activationType();
    }
}
