package org.countersign.protocol;

import java.util.ArrayList;
import java.util.List;
import org.countersign.secrets.Secret;

/**
 * The data input of one OCRA computation besides the suite and the key: counter C, one challenge
 * question (or two for mutual challenge-response, in the order they are concatenated), the PIN hash
 * P, session information S and time step T. Which of them a computation needs is the suite's to
 * say; a computation refuses an input that lacks one the suite names or has one it does not.
 * toString never shows the PIN hash.
 */
public final class OcraInput {

    private final Long counter;
    private final List<String> questions;
    private final Secret pinHash;
    private final byte[] session;
    private final Long timeStep;

    private OcraInput(Builder b) {
        this.counter = b.counter;
        this.questions = List.copyOf(b.questions);
        this.pinHash = b.pinHash;
        this.session = b.session == null ? null : b.session.clone();
        this.timeStep = b.timeStep;
        if (questions.isEmpty() || questions.size() > 2) {
            throw new IllegalArgumentException("OCRA takes one challenge question, or two for mutual challenge-response");
        }
        if (counter != null && counter < 0 || timeStep != null && timeStep < 0) {
            throw new IllegalArgumentException("OCRA counters and time steps are not negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same input with another counter, for a verifier that looks ahead. */
    public OcraInput withCounter(long newCounter) {
        return toBuilder().counter(newCounter).build();
    }

    /** The same input with another time step, for a verifier that allows for clock drift. */
    public OcraInput withTimeStep(long newTimeStep) {
        return toBuilder().timeStep(newTimeStep).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.counter = counter;
        b.questions.addAll(questions);
        b.pinHash = pinHash;
        b.session = session;
        b.timeStep = timeStep;
        return b;
    }

    /** null when absent */
    public Long counter() {
        return counter;
    }

    public List<String> questions() {
        return questions;
    }

    /** null when absent */
    public Secret pinHash() {
        return pinHash;
    }

    /** null when absent */
    public byte[] session() {
        return session == null ? null : session.clone();
    }

    /** null when absent */
    public Long timeStep() {
        return timeStep;
    }

    @Override
    public String toString() {
        return "OcraInput[counter=" + counter + ", questions=" + questions + ", pin=" + (pinHash == null ? "no" : "yes")
                + ", session=" + (session == null ? "no" : session.length + " bytes") + ", timeStep=" + timeStep + "]";
    }

    public static final class Builder {
        private Long counter;
        private final List<String> questions = new ArrayList<>(2);
        private Secret pinHash;
        private byte[] session;
        private Long timeStep;

        private Builder() {
        }

        public Builder counter(long value) {
            this.counter = value;
            return this;
        }

        /** Call twice for mutual challenge-response: the questions are concatenated in call order. */
        public Builder question(String value) {
            questions.add(java.util.Objects.requireNonNull(value, "question"));
            return this;
        }

        /** P: the hash of the PIN with the suite's hash function, see {@link Ocra#hashPin}. */
        public Builder pinHash(Secret value) {
            this.pinHash = value;
            return this;
        }

        /** S: at most the suite's nnn bytes; shorter values are left-padded with zero bytes. */
        public Builder session(byte[] value) {
            this.session = value.clone();
            return this;
        }

        /** T: the number of time steps, e.g. {@link OcraSuite#timeStep(long)} of the current time. */
        public Builder timeStep(long value) {
            this.timeStep = value;
            return this;
        }

        public OcraInput build() {
            return new OcraInput(this);
        }
    }
}
