package org.countersign.registration.domain;

import java.util.Arrays;
import java.util.Optional;
import org.countersign.secrets.Secret;

/**
 * What unlocks the encrypted keys of a PSKC document: nothing (plain keys), a password (RFC 6030
 * section 6.2, PBKDF2) or a pre-shared key (section 6.1). It copies what it is given, prints
 * nothing of it, and can be destroyed once the import is over.
 */
public final class PskcCredentials {

    private static final PskcCredentials NONE = new PskcCredentials(null, null);

    private final char[] password;
    private final Secret preSharedKey;

    private PskcCredentials(char[] password, Secret preSharedKey) {
        this.password = password;
        this.preSharedKey = preSharedKey;
    }

    public static PskcCredentials none() {
        return NONE;
    }

    public static PskcCredentials password(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("A password has at least one character");
        }
        return new PskcCredentials(password.clone(), null);
    }

    public static PskcCredentials preSharedKey(Secret key) {
        if (key == null) {
            throw new IllegalArgumentException("A pre-shared key is required");
        }
        return new PskcCredentials(null, Secret.copyOf(key.reveal()));
    }

    /** A copy of the password, which the caller should wipe after use. */
    public Optional<char[]> password() {
        return Optional.ofNullable(password).map(char[]::clone);
    }

    public Optional<Secret> preSharedKey() {
        return Optional.ofNullable(preSharedKey);
    }

    /** Wipes the password and the key; {@link #none()} has nothing to wipe. */
    public void destroy() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        if (preSharedKey != null) {
            preSharedKey.destroy();
        }
    }

    @Override
    public String toString() {
        String kind = password != null ? "password" : preSharedKey != null ? "pre-shared key" : "none";
        return "PskcCredentials[" + kind + "]";
    }
}
