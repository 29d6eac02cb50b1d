package org.countersign.protocol;

import java.util.Arrays;
import java.util.Locale;
import org.countersign.protocol.internal.QueryParameters;
import org.countersign.secrets.Secret;

/**
 * The Key Uri Format of Google Authenticator, which every stock authenticator app reads:
 * {@code otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=<SHA1|SHA256|SHA512>&digits=<6|7|8>&period=<s>}.
 * Only TOTP: Countersign gives stock apps time-based codes only.
 *
 * <p>{@link #write} percent-encodes the issuer and the account as RFC 3986 UTF-8 (every character
 * but the unreserved ones, so a {@code :} inside either is {@code %3A} and a space is {@code %20}),
 * joins them with a literal {@code :}, and always writes every parameter. {@link #parse} reads what
 * other generators write too: parameters in any order, {@code algorithm}, {@code digits} and
 * {@code period} optional (SHA1, 6 and 30), the algorithm in any case, the secret in either case
 * and with or without padding. See docs/protocol.md, "Choices", for every rule.
 */
public final class OtpAuthUri {

    /** A key of fewer bytes is refused (RFC 4226 section 4 asks for 128 bits at least). */
    public static final int MIN_SECRET_LENGTH = 16;
    /** SHA-512's block: longer keys would be hashed first, which some apps get wrong. */
    public static final int MAX_SECRET_LENGTH = 64;

    private static final String PREFIX = "otpauth://totp/";

    private final String issuer;
    private final String account;
    private final Secret secret;
    private final OtpPolicy policy;

    private OtpAuthUri(String issuer, String account, Secret secret, OtpPolicy policy) {
        this.issuer = issuer;
        this.account = account;
        this.secret = secret;
        this.policy = policy;
    }

    /**
     * @param issuer the service, shown by the app, or null for none (then neither the label prefix nor the parameter is written)
     * @param account the user's account name
     * @param secret the OTP key itself, 16 to 64 bytes (20 for SHA1 as usual)
     * @param policy a TOTP policy
     * @throws IllegalArgumentException for HOTP, an empty account, an empty issuer, a key of the wrong length
     */
    public static String write(String issuer, String account, Secret secret, OtpPolicy policy) {
        check(issuer, account, secret, policy);
        byte[] key = secret.reveal();
        try {
            StringBuilder uri = new StringBuilder(PREFIX);
            if (issuer != null) {
                uri.append(ProtocolUris.encode(issuer)).append(':');
            }
            uri.append(ProtocolUris.encode(account)).append("?secret=").append(Base32.encode(key));
            if (issuer != null) {
                uri.append("&issuer=").append(ProtocolUris.encode(issuer));
            }
            return uri.append("&algorithm=").append(policy.algorithm().ocraName())
                    .append("&digits=").append(policy.digits())
                    .append("&period=").append(policy.periodSeconds()).toString();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Reads a TOTP key URI (the simulator's side of a stock app).
     *
     * @throws MalformedMessageException naming the rule that was broken, never the secret
     */
    public static OtpAuthUri parse(String uri) {
        String what = "otpauth URI";
        if (uri == null || !uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new MalformedMessageException(what + ": not an otpauth://totp/ URI (HOTP is not supported)");
        }
        int question = uri.indexOf('?');
        if (question < 0) {
            throw new MalformedMessageException(what + ": the secret is missing");
        }
        String label = uri.substring(PREFIX.length(), question);
        QueryParameters parameters = QueryParameters.parseQuery(uri.substring(question + 1), what);

        // The label: issuer prefix and account, split at the first literal ':' (or, without one, a
        // percent-encoded one, which the format also allows); spaces before the account are dropped.
        String issuerPrefix = null;
        String accountText = label;
        int colon = label.indexOf(':');
        if (colon < 0) {
            colon = label.toUpperCase(Locale.ROOT).indexOf("%3A");
            if (colon >= 0) {
                issuerPrefix = QueryParameters.decode(label.substring(0, colon), what);
                accountText = label.substring(colon + 3);
            }
        } else {
            issuerPrefix = QueryParameters.decode(label.substring(0, colon), what);
            accountText = label.substring(colon + 1);
        }
        String account = QueryParameters.decode(accountText, what).stripLeading();
        if (account.isEmpty()) {
            throw new MalformedMessageException(what + ": the account is empty");
        }
        String issuerParameter = parameters.optional("issuer");
        if (issuerPrefix != null && issuerPrefix.isEmpty()) {
            throw new MalformedMessageException(what + ": the issuer prefix is empty");
        }
        if (issuerPrefix != null && issuerParameter != null && !issuerPrefix.equals(issuerParameter)) {
            throw new MalformedMessageException(what + ": the issuer prefix and the issuer parameter differ");
        }
        String issuer = issuerParameter != null ? issuerParameter : issuerPrefix;

        OtpAlgorithm algorithm = algorithm(parameters.optional("algorithm"), what);
        int digits = number(parameters.optional("digits"), 6, "digits", what);
        int period = number(parameters.optional("period"), 30, "period", what);
        if (digits < 6 || digits > 8) {
            throw new MalformedMessageException(what + ": digits must be 6, 7 or 8");
        }
        OtpPolicy policy = OtpPolicy.totp(algorithm, digits, period);
        byte[] key = secret(parameters.required("secret"), what);
        try {
            return new OtpAuthUri(issuer, account, Secret.copyOf(key), policy);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** @return the issuer, from the parameter or the label prefix, or null */
    public String issuer() {
        return issuer;
    }

    public String account() {
        return account;
    }

    /** The OTP key. */
    public Secret secret() {
        return secret;
    }

    /** Always TOTP. */
    public OtpPolicy policy() {
        return policy;
    }

    /** The URI again, as {@link #write} writes it. */
    public String toUri() {
        return write(issuer, account, secret, policy);
    }

    private static void check(String issuer, String account, Secret secret, OtpPolicy policy) {
        if (policy == null || policy.kind() != OtpPolicy.Kind.TOTP) {
            throw new IllegalArgumentException("otpauth URIs are written for TOTP only");
        }
        if (account == null || account.isEmpty() || !TransactionData.isUnicode(account)) {
            throw new IllegalArgumentException("The account is a non-empty string");
        }
        if (issuer != null && (issuer.isEmpty() || !TransactionData.isUnicode(issuer))) {
            throw new IllegalArgumentException("The issuer is null or a non-empty string");
        }
        if (secret == null || secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("An otpauth secret has " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " bytes");
        }
    }

    private static OtpAlgorithm algorithm(String text, String what) {
        if (text == null) {
            return OtpAlgorithm.SHA1;
        }
        for (OtpAlgorithm algorithm : OtpAlgorithm.values()) {
            if (algorithm.ocraName().equalsIgnoreCase(text)) {
                return algorithm;
            }
        }
        throw new MalformedMessageException(what + ": algorithm must be SHA1, SHA256 or SHA512");
    }

    private static int number(String text, int absent, String name, String what) {
        if (text == null) {
            return absent;
        }
        if (!text.matches("[1-9][0-9]{0,8}")) {
            throw new MalformedMessageException(what + ": " + name + " must be a positive decimal number without leading zeros");
        }
        return Integer.parseInt(text);
    }

    private static byte[] secret(String text, String what) {
        String canonical = text.toUpperCase(Locale.ROOT);
        int end = canonical.length();
        while (end > 0 && canonical.charAt(end - 1) == '=') {
            end--;
        }
        byte[] key;
        try {
            key = Base32.decode(canonical.substring(0, end));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": the secret is not base32");
        }
        if (key.length < MIN_SECRET_LENGTH || key.length > MAX_SECRET_LENGTH) {
            Arrays.fill(key, (byte) 0);
            throw new MalformedMessageException(what + ": the secret must have " + MIN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " bytes");
        }
        return key;
    }

    @Override
    public String toString() {
        return "OtpAuthUri[issuer=" + issuer + ", account=" + account + ", secret=(hidden), " + policy + "]";
    }
}
