package org.countersign.events;

import java.util.List;

/**
 * The topics of the suite. Code and tests share these names; a deployment may put a prefix before
 * each ({@code countersign.events.topic-prefix}). Public topics carry no secrets; internal ones carry
 * secrets only as sealed values.
 */
public final class Topics {

    public static final String REGISTRATIONS = "countersign.registrations.v1";
    public static final String ACTIVATIONS = "countersign.activations.v1";
    public static final String AUTHENTICATIONS = "countersign.authentications.v1";
    public static final String PUSH = "countersign.push.v1";
    public static final String INTERNAL_REGISTRATIONS = "countersign.internal.registrations.v1";
    public static final String INTERNAL_CREDENTIALS = "countersign.internal.credentials.v1";
    /** Events a consumer could not process, with the reason in the cs_dlq_* headers. */
    public static final String DEAD_LETTERS = "countersign.internal.dead-letters.v1";

    public static final List<String> ALL = List.of(REGISTRATIONS, ACTIVATIONS, AUTHENTICATIONS, PUSH,
            INTERNAL_REGISTRATIONS, INTERNAL_CREDENTIALS, DEAD_LETTERS);

    private Topics() {
    }
}
