package org.countersign.protocol;

import org.countersign.protocol.internal.Fields;
import org.countersign.secrets.Secret;

/**
 * Activation message 1 as a device reads it: {@code sn}, {@code rid}, the activation password
 * {@code AP} and the optional display strings {@code iss} and {@code acct}. Every instance is valid.
 * {@link ProtocolUris#parseActivationMessage1} reads one from its URI.
 */
public final class ActivationMessage1 {

    private final String sn;
    private final String rid;
    private final Secret ap;
    private final String issuer;
    private final String account;

    private ActivationMessage1(String sn, String rid, Secret ap, String issuer, String account) {
        this.sn = sn;
        this.rid = rid;
        this.ap = ap;
        this.issuer = issuer;
        this.account = account;
    }

    /** @param issuer may be null; @param account may be null */
    public static ActivationMessage1 of(String sn, String rid, Secret ap, String issuer, String account) {
        Fields.requireId("sn", sn);
        Fields.requireId("rid", rid);
        if (ap == null || ap.length() != ActivationKey.ACTIVATION_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("An activation password has 20 bytes");
        }
        return new ActivationMessage1(sn, rid, Secret.copyOf(ap.reveal()), emptyToNull(issuer), emptyToNull(account));
    }

    public String sn() {
        return sn;
    }

    public String rid() {
        return rid;
    }

    public Secret ap() {
        return ap;
    }

    /** @return the issuer to display, or null */
    public String issuer() {
        return issuer;
    }

    /** @return the account to display, or null */
    public String account() {
        return account;
    }

    /** The URI again, as {@link ProtocolUris#activationMessage1} writes it. */
    public String toUri() {
        return ProtocolUris.activationMessage1(sn, rid, ap, issuer, account);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return "ActivationMessage1[sn=" + sn + ", rid=" + rid + ", ap=(hidden), iss=" + issuer + ", acct=" + account + "]";
    }
}
