package org.countersign.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.QueryParameters;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Secret;

/**
 * The URIs of protocol.md that a server hands to a device (activation messages 1 and 2, the
 * enrolment URI of online activation, offline signing), and their strict parsing on the device side. Writers percent-encode every
 * character but the RFC 3986 unreserved ones; readers accept any valid percent-encoding.
 */
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

    /**
     * {@code countersign://enroll?v=1&url=..&rid=..&sn=..&ap=..[&iss=..][&acct=..][&iid=..]}
     *
     * @param instanceId the offline instance a {@code migrate} registration moves online, or null
     * @throws IllegalArgumentException when a field breaks the rules of {@link EnrolmentMessage#of}
     */
    public static String enrolment(String baseUrl, String rid, String sn, Secret ap, String issuer, String account,
                                   String instanceId) {
        return EnrolmentMessage.of(baseUrl, rid, sn, ap, issuer, account, instanceId).toUri();
    }

    static String write(EnrolmentMessage message) {
        StringBuilder uri = new StringBuilder("countersign://enroll?v=1")
                .append("&url=").append(encode(message.baseUrl())).append("&rid=").append(encode(message.rid()))
                .append("&sn=").append(encode(message.sn())).append("&ap=").append(base32(message.ap()));
        optional(uri, "iss", message.issuer());
        optional(uri, "acct", message.account());
        optional(uri, "iid", message.instanceId());
        return uri.toString();
    }

    /**
     * Device side: reads an enrolment URI strictly (the rules of activation message 1, plus
     * {@code url}, which must satisfy {@link EnrolmentMessage#of}).
     *
     * @throws MalformedMessageException for anything but a well-formed enrolment URI
     */
    public static EnrolmentMessage parseEnrolment(String uri) {
        String what = "enrolment URI";
        QueryParameters parameters = QueryParameters.parse(uri, "countersign://enroll?", what);
        String url = parameters.required("url");
        if (!EnrolmentMessage.isBaseUrl(url)) {
            throw new MalformedMessageException(what + ": url must be an absolute http or https URL with a host, "
                    + "without user information, query or fragment");
        }
        String rid = id(parameters, "rid", what);
        String sn = id(parameters, "sn", what);
        String iid = parameters.optional("iid");
        if (iid != null && !Fields.isId(iid)) {
            throw new MalformedMessageException(what + ": iid must match [A-Za-z0-9-]{1,64}");
        }
        Secret ap = activationPassword(parameters, what);
        try {
            return EnrolmentMessage.of(url, rid, sn, ap, parameters.optional("iss"), parameters.optional("acct"), iid);
        } finally {
            ap.destroy();
        }
    }

    /** {@code countersign://activate2?v=1&rid=..&iid=..&sn=..&otp=..&n=..&c=..} */
    public static String activationMessage2(ActivationMessage2 message) {
        return "countersign://activate2?v=1"
                + "&rid=" + encode(message.rid()) + "&iid=" + encode(message.iid()) + "&sn=" + encode(message.sn())
                + "&otp=" + encode(message.otp().format())
                + "&n=" + Base64Url.encode(message.nonce()) + "&c=" + Base64Url.encode(message.ciphertext());
    }

    /** {@code countersign://sign?v=1&iid=..&cid=..&n=..&c=..} */
    public static String signingMessage(SigningMessage message) {
        return "countersign://sign?v=1"
                + "&iid=" + encode(message.iid()) + "&cid=" + encode(message.cid())
                + "&n=" + Base64Url.encode(message.nonce()) + "&c=" + Base64Url.encode(message.ciphertext());
    }

    /**
     * Device side. Whether it is for this device, and whether it decrypts, is checked by
     * {@link SigningMessage#open}.
     *
     * @throws MalformedMessageException for anything but a well-formed signing message
     */
    public static SigningMessage parseSigningMessage(String uri) {
        String what = "signing message";
        QueryParameters parameters = QueryParameters.parse(uri, "countersign://sign?", what);
        String iid = id(parameters, "iid", what);
        String cid = id(parameters, "cid", what);
        byte[] nonce = base64url(parameters, "n", Aead.NONCE_LENGTH, what);
        byte[] c;
        try {
            c = Base64Url.decode(parameters.required("c"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": c is not strict base64url");
        }
        if (c.length < SigningMessage.MIN_CIPHERTEXT_LENGTH) {
            throw new MalformedMessageException(what + ": c is shorter than " + SigningMessage.MIN_CIPHERTEXT_LENGTH + " bytes");
        }
        return SigningMessage.of(iid, cid, nonce, c);
    }

    /**
     * Device side.
     *
     * @throws MalformedMessageException for anything but a well-formed activation message 1
     */
    public static ActivationMessage1 parseActivationMessage1(String uri) {
        String what = "activation message 1";
        QueryParameters parameters = QueryParameters.parse(uri, "countersign://activate?", what);
        String sn = id(parameters, "sn", what);
        String rid = id(parameters, "rid", what);
        Secret ap = activationPassword(parameters, what);
        try {
            return ActivationMessage1.of(sn, rid, ap, parameters.optional("iss"), parameters.optional("acct"));
        } finally {
            ap.destroy();
        }
    }

    /**
     * Device side. Whether it belongs to activation message 1 is checked by
     * {@link ActivationMessage2#open}.
     *
     * @throws MalformedMessageException for anything but a well-formed activation message 2
     */
    public static ActivationMessage2 parseActivationMessage2(String uri) {
        String what = "activation message 2";
        QueryParameters parameters = QueryParameters.parse(uri, "countersign://activate2?", what);
        String rid = id(parameters, "rid", what);
        String iid = id(parameters, "iid", what);
        String sn = id(parameters, "sn", what);
        OtpPolicy otp;
        try {
            otp = OtpPolicy.parse(parameters.required("otp"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": otp is not an otp parameter string");
        }
        byte[] nonce = base64url(parameters, "n", Aead.NONCE_LENGTH, what);
        byte[] c = base64url(parameters, "c", ActivationMessage2.CIPHERTEXT_LENGTH, what);
        return ActivationMessage2.of(rid, iid, sn, otp, nonce, c);
    }

    private static String id(QueryParameters parameters, String name, String what) {
        String value = parameters.required(name);
        if (!Fields.isId(value)) {
            throw new MalformedMessageException(what + ": " + name + " must match [A-Za-z0-9-]{1,64}");
        }
        return value;
    }

    /** {@code ap}: strict base32 of exactly 20 bytes. */
    private static Secret activationPassword(QueryParameters parameters, String what) {
        byte[] ap;
        try {
            ap = Base32.decode(parameters.required("ap"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": ap is not strict base32");
        }
        try {
            if (ap.length != ActivationKey.ACTIVATION_PASSWORD_LENGTH) {
                throw new MalformedMessageException(what + ": ap is not 20 bytes");
            }
            return Secret.copyOf(ap);
        } finally {
            Arrays.fill(ap, (byte) 0);
        }
    }

    private static byte[] base64url(QueryParameters parameters, String name, int length, String what) {
        byte[] bytes;
        try {
            bytes = Base64Url.decode(parameters.required(name));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + name + " is not strict base64url");
        }
        if (bytes.length != length) {
            throw new MalformedMessageException(what + ": " + name + " is not " + length + " bytes");
        }
        return bytes;
    }

    private static String base32(Secret secret) {
        byte[] bytes = secret.reveal();
        try {
            return Base32.encode(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
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
