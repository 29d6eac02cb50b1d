package org.countersign.secrets;

/** Seals a secret for one purpose and owner ({@link Binding}); the caller keeps and destroys the secret. */
public interface Sealer {

    SealedValue seal(Secret secret, Binding binding);
}
