package org.countersign.otp.domain;

import org.countersign.secrets.ConstantTime;

/**
 * A server PIN as stored: an Argon2id hash with its salt and parameters, never the PIN. The hash is
 * not the PIN, but it allows an offline search of a short PIN space, so it is kept out of logs too:
 * {@link #toString} names the parameters only, and bytes leave only as copies. It has no value equality:
 * compare hashes with {@link #matches}, which takes constant time.
 */
public final class PinHash {

    /** The only algorithm so far; stored, so that another can follow. */
    public static final String ARGON2ID = "argon2id";

    private final Argon2Parameters parameters;
    private final byte[] salt;
    private final byte[] hash;

    private PinHash(Argon2Parameters parameters, byte[] salt, byte[] hash) {
        if (parameters == null || salt == null || salt.length < 16 || hash == null || hash.length < 16) {
            throw new IllegalArgumentException("A PIN hash needs parameters, a salt of 16 bytes or more and a hash");
        }
        this.parameters = parameters;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    public static PinHash of(Argon2Parameters parameters, byte[] salt, byte[] hash) {
        return new PinHash(parameters, salt, hash);
    }

    public Argon2Parameters parameters() {
        return parameters;
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** The stored hash, for the repository only. */
    public byte[] hash() {
        return hash.clone();
    }

    public int hashLength() {
        return hash.length;
    }

    /** Whether a freshly computed hash is this one, in constant time. */
    public boolean matches(byte[] computed) {
        return ConstantTime.equal(hash, computed);
    }

    @Override
    public String toString() {
        return "PinHash[" + ARGON2ID + " m=" + parameters.memoryKib() + " t=" + parameters.iterations()
                + " p=" + parameters.parallelism() + "]";
    }
}
