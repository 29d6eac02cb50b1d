package org.countersign.device;

/**
 * Something the simulated device cannot do, said so that a person knows what to do next. The kind
 * tells whether the device refused a message, the command was used wrongly, the input could not be
 * read, the profile file could not be used, or the server could not be reached or refused, and gives
 * the command's exit code. Messages never carry a secret (activation password, instance secret,
 * device code, key).
 */
public final class DeviceException extends RuntimeException {

    public enum Kind {
        /** The device refuses what it was shown: malformed, wrong image, another instance, tampered. Exit code 1. */
        REFUSED(1),
        /** The command or call cannot be carried out as written: no such profile, several to choose from, wrong state. Exit code 2. */
        USAGE(2),
        /** The image, file or URL could not be read, or holds no code. Exit code 3. */
        INPUT(3),
        /** The profile file cannot be read or written. Exit code 4. */
        STORE(4),
        /** The server could not be reached, or refused the request (its problem detail is shown). Exit code 5. */
        SERVER(5);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public DeviceException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public DeviceException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
