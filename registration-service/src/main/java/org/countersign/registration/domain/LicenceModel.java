package org.countersign.registration.domain;

/** SDL: a single device licence, activated once. MDL: a multi-device licence, up to N activations. */
public enum LicenceModel {
    SDL,
    MDL
}
