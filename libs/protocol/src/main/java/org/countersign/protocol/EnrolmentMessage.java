package org.countersign.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import org.countersign.protocol.internal.Fields;
import org.countersign.secrets.Secret;

/**
 * The enrolment URI of online activation (protocol.md, "Online activation", step 1), as the
 * registration service writes it and a mobile app reads it:
 * {@code countersign://enroll?v=1&url=..&rid=..&sn=..&ap=..[&iss=..][&acct=..][&iid=..]}.
 *
 * <p>{@code url} is the base URL of the provisioning service; {@code iid}, when present, names the
 * existing offline instance that a {@code migrate} registration moves online (the device keeps its
 * {@code IS}). Every instance is valid: {@code url} is an absolute {@code http} or {@code https}
 * URL with a host and without user information, query or fragment (see docs/protocol.md,
 * "Choices"); the ids match {@code [A-Za-z0-9-]{1,64}}; {@code ap} has 20 bytes.
 *
 * <p>Server: {@link ProtocolUris#enrolment}. Device: {@link ProtocolUris#parseEnrolment}, then
 * {@link EnrolmentRequest#create}.
 */
public final class EnrolmentMessage {

    /** Longest base URL we write or read. */
    public static final int MAX_URL_LENGTH = 2048;

    private static final String ACTIVATIONS_PATH = "/api/v1/online-activations";

    private final String baseUrl;
    private final String rid;
    private final String sn;
    private final Secret ap;
    private final String issuer;
    private final String account;
    private final String instanceId;

    private EnrolmentMessage(String baseUrl, String rid, String sn, Secret ap, String issuer, String account,
                             String instanceId) {
        this.baseUrl = baseUrl;
        this.rid = rid;
        this.sn = sn;
        this.ap = ap;
        this.issuer = issuer;
        this.account = account;
        this.instanceId = instanceId;
    }

    /**
     * @param issuer display string, may be null
     * @param account display string, may be null
     * @param instanceId the offline instance to migrate, or null for a new online activation
     * @throws IllegalArgumentException naming the field that breaks its rule, never its value
     */
    public static EnrolmentMessage of(String baseUrl, String rid, String sn, Secret ap, String issuer, String account,
                                      String instanceId) {
        if (!isBaseUrl(baseUrl)) {
            throw new IllegalArgumentException("url must be an absolute http or https URL with a host, "
                    + "without user information, query or fragment, of at most " + MAX_URL_LENGTH + " ASCII characters");
        }
        Fields.requireId("rid", rid);
        Fields.requireId("sn", sn);
        if (ap == null || ap.length() != ActivationKey.ACTIVATION_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("An activation password has 20 bytes");
        }
        String iid = emptyToNull(instanceId);
        if (iid != null) {
            Fields.requireId("iid", iid);
        }
        return new EnrolmentMessage(baseUrl, rid, sn, Secret.copyOf(ap.reveal()), emptyToNull(issuer),
                emptyToNull(account), iid);
    }

    /** The base URL of the provisioning service, as the URI carries it. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Where the device posts its CSR: {@code <url>/api/v1/online-activations} (one trailing {@code /} of url dropped). */
    public String activationsUrl() {
        return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + ACTIVATIONS_PATH;
    }

    /** Where the device confirms: {@code <url>/api/v1/online-activations/<rid>/confirm}. */
    public String confirmationUrl() {
        return activationsUrl() + "/" + rid + "/confirm";
    }

    public String rid() {
        return rid;
    }

    public String sn() {
        return sn;
    }

    /** {@code AP}, the 20-byte activation password: the key of the enrolment proof. */
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

    /** @return the {@code iid} of the instance being migrated, or null for a new activation */
    public String instanceId() {
        return instanceId;
    }

    /** Whether this moves an existing offline instance online ({@code iid} present): no new {@code IS} comes back. */
    public boolean isMigration() {
        return instanceId != null;
    }

    /** The URI, as {@link ProtocolUris#enrolment} writes it. */
    public String toUri() {
        return ProtocolUris.write(this);
    }

    /**
     * An absolute http(s) URL the device can post to: printable ASCII only, a lower-case scheme
     * {@code http} or {@code https}, a host (a name, IPv4 or bracketed IPv6), an optional port
     * 1-65535, an optional path, and no user information, query or fragment. Servers check their
     * configured base URL with it at start-up.
     */
    public static boolean isBaseUrl(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH
                || url.indexOf('?') >= 0 || url.indexOf('#') >= 0) {
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && !uri.isOpaque()
                && uri.getHost() != null && !uri.getHost().isEmpty()
                && uri.getRawUserInfo() == null
                && uri.getRawQuery() == null && uri.getRawFragment() == null
                && (uri.getPort() == -1 && !uri.getRawAuthority().endsWith(":") || uri.getPort() >= 1 && uri.getPort() <= 65535);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return "EnrolmentMessage[url=" + baseUrl + ", rid=" + rid + ", sn=" + sn + ", ap=(hidden), iss=" + issuer
                + ", acct=" + account + (instanceId == null ? "" : ", iid=" + instanceId) + "]";
    }
}
