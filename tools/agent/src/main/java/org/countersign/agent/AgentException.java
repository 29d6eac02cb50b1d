package org.countersign.agent;

/**
 * Something the agent cannot do, said so that a person knows what to do next. The kind gives the
 * command's exit code. Messages never carry what the user typed, a tag or a salt.
 */
public final class AgentException extends RuntimeException {

    public enum Kind {
        /** The PIN+OTP was refused (offline or online), or offline logins are locked after too many failures. Exit code 1. */
        REJECTED(1),
        /** The command cannot be carried out as written: unknown option, missing argument, no such user. Exit code 2. */
        USAGE(2),
        /** The otp-service could not be reached, or refused the request for another reason than the credential. Exit code 3. */
        SERVER(3),
        /** The agent file cannot be read or written. Exit code 4. */
        STORE(4),
        /** No offline data covers this user now: it expired, was never fetched, or the clock is wrong. Exit code 5. */
        NO_DATA(5);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public AgentException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public AgentException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
