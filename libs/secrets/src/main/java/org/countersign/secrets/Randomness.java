package org.countersign.secrets;

import java.security.SecureRandom;

/** The one source of randomness for keys, nonces, secrets and ids. */
public final class Randomness {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private Randomness() {
    }

    public static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.get().nextBytes(bytes);
        return bytes;
    }
}
