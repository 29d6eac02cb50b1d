package org.countersign.registration.domain;

import java.util.List;

/**
 * The outcome of a PSKC document that passed every check: at least one token. PIN keys
 * ({@code urn:ietf:params:xml:ns:keyprov:pskc:pin}, RFC 6030 Figure 5) guard a device locally and are
 * no OTP credential, so they are checked like every key but only counted.
 *
 * @param tokens the OTP keys, in document order
 * @param pinKeysSkipped how many PIN keys the document also held
 */
public record PskcImport(List<PskcToken> tokens, int pinKeysSkipped) {

    public PskcImport {
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("An import has at least one token");
        }
        if (pinKeysSkipped < 0) {
            throw new IllegalArgumentException("A count is not negative");
        }
    }
}
