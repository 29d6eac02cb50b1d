package org.countersign.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URIs of protocol.md that a server hands to a device (activation message 1, enrolment). */
public final class ProtocolUris {

    private ProtocolUris() {
    }

    /** {@code countersign://activate?v=1&sn=..&rid=..&ap=..[&iss=..][&acct=..]} */
    public static String activationMessage1(String sn, String rid, Secret ap, String issuer, String account) {
        StringBuilder uri = new StringBuilder("countersign://activate?v=1")
                .append("&sn=").append(encode(sn)).append("&rid=").append(encode(rid))
                .append("&ap=").append(base32(ap));
        optional(uri, "iss", issuer);
        optional(uri, "acct", account);
        return uri.toString();
    }

    /** {@code countersign://enroll?v=1&url=..&rid=..&sn=..&ap=..[&iss=..][&acct=..][&iid=..]} */
    public static String enrolment(String baseUrl, String rid, String sn, Secret ap, String issuer, String account,
                                   String instanceId) {
        StringBuilder uri = new StringBuilder("countersign://enroll?v=1")
                .append("&url=").append(encode(baseUrl)).append("&rid=").append(encode(rid))
                .append("&sn=").append(encode(sn)).append("&ap=").append(base32(ap));
        optional(uri, "iss", issuer);
        optional(uri, "acct", account);
        optional(uri, "iid", instanceId);
        return uri.toString();
    }

    private static String base32(Secret secret) {
        byte[] bytes = secret.reveal();
        try {
            return Base32.encode(bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void optional(StringBuilder uri, String name, String value) {
        if (value != null && !value.isEmpty()) {
            uri.append('&').append(name).append('=').append(encode(value));
        }
    }

    /** RFC 3986 percent-encoding of UTF-8: a space is %20 and a plus stays a literal %2B. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
