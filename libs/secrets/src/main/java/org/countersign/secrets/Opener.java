package org.countersign.secrets;

/** Opens a sealed value, but only under the purpose and owner it was sealed for. */
public interface Opener {

    /**
     * @return the secret, which the caller destroys when done
     * @throws Aead.AeadException when the value does not open: an unknown key id, another binding (a value
     *     moved from another row or event, or read as something else), or a tampered value. Says nothing
     *     about which.
     */
    Secret open(SealedValue sealed, Binding binding);
}
