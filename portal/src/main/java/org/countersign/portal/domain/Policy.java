package org.countersign.portal.domain;

import java.util.List;

/** The domain's rules for one authenticator type: which activation types it allows. */
public record Policy(List<String> activationTypes) {
}
