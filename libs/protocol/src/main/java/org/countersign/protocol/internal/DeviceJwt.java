package org.countersign.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.InvalidDeviceTokenException;
import org.countersign.protocol.InvalidDeviceTokenException.Reason;

/**
 * The compact JWS of a device token, written and read exactly as protocol.md and
 * {@link DeviceToken} say. Reading keeps the base64url text of header and claims as received,
 * because the signature is over those bytes, not over a re-encoding.
 */
public final class DeviceJwt {

    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "typ", "kid");
    /** A JSON integer without sign, fraction or exponent, that fits a long. */
    private static final Pattern SECONDS = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final String signedPart;
    private final String keyId;
    private final Map<?, ?> claims;
    private final byte[] signature;

    private DeviceJwt(String signedPart, String keyId, Map<?, ?> claims, byte[] signature) {
        this.signedPart = signedPart;
        this.keyId = keyId;
        this.claims = claims;
        this.signature = signature;
    }

    /** What a valid token says. */
    public record Claims(String iid, String jti, long issuedAt, long expiresAt) {
    }

    public static String sign(PrivateKey key, String iid, String audience, long issuedAt, long expiresAt, String jti) {
        Fields.requireId("iid", iid);
        if (audience == null || audience.isEmpty()) {
            throw new IllegalArgumentException("The audience is a non-empty string");
        }
        if (issuedAt < 0 || expiresAt <= issuedAt || expiresAt - issuedAt > DeviceToken.MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("0 <= iat < exp <= iat + " + DeviceToken.MAX_LIFETIME_SECONDS);
        }
        if (!isJti(jti)) {
            throw new IllegalArgumentException("jti is strict base64url of at least " + DeviceToken.MIN_JTI_BYTES + " bytes");
        }
        String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}";
        StringBuilder claims = new StringBuilder("{\"iss\":\"").append(iid).append("\",\"sub\":\"").append(iid)
                .append("\",\"aud\":");
        Json.quote(claims, audience).append(",\"iat\":").append(issuedAt).append(",\"exp\":").append(expiresAt)
                .append(",\"jti\":\"").append(jti).append("\"}");
        return signP1363(key, header, claims.toString());
    }

    /** Base64url of header and claims as given, joined with {@code .}, and an ES256 signature: for tests of refusals too. */
    public static String signP1363(PrivateKey key, String header, String claims) {
        String signed = Base64Url.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(claims.getBytes(StandardCharsets.UTF_8));
        return signed + "." + Base64Url.encode(Ecdsa.signP1363(key, signed.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Form and header: three strict base64url parts, JSON objects, {@code alg}, then the other header members. */
    public static DeviceJwt parse(String token) {
        if (token == null || token.length() > DeviceToken.MAX_TOKEN_LENGTH) {
            throw refused(Reason.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw refused(Reason.MALFORMED);
        }
        Map<?, ?> header = object(parts[0]);
        Map<?, ?> claims = object(parts[1]);
        byte[] signature;
        try {
            signature = Base64Url.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw refused(Reason.MALFORMED);
        }
        if (!"ES256".equals(header.get("alg"))) {
            throw refused(Reason.ALGORITHM);
        }
        Object kid = header.get("kid");
        if (!HEADER_MEMBERS.equals(header.keySet()) || !"JWT".equals(header.get("typ"))
                || !(kid instanceof String id) || !Fields.isId(id)) {
            throw refused(Reason.HEADER);
        }
        return new DeviceJwt(parts[0] + "." + parts[1], id, claims, signature);
    }

    public String keyId() {
        return keyId;
    }

    /** The signature, then the claims, in the order of {@link Reason}. */
    public Claims verify(ECPublicKey key, String audience, long now) {
        if (key == null) {
            throw refused(Reason.UNKNOWN_INSTANCE);
        }
        if (signature.length != Ecdsa.P1363_LENGTH
                || !Ecdsa.verifyP1363(P256Curve.validPoint(key), signedPart.getBytes(StandardCharsets.US_ASCII), signature)) {
            throw refused(Reason.SIGNATURE);
        }
        if (!keyId.equals(claims.get("iss")) || !keyId.equals(claims.get("sub"))) {
            throw refused(Reason.ISSUER);
        }
        if (!(claims.get("aud") instanceof String aud) || !aud.equals(audience)) {
            throw refused(Reason.AUDIENCE);
        }
        long iat = seconds(claims.get("iat"));
        long exp = seconds(claims.get("exp"));
        if (exp <= iat || exp - iat > DeviceToken.MAX_LIFETIME_SECONDS) {
            throw refused(Reason.LIFETIME);
        }
        if (now >= exp + DeviceToken.CLOCK_SKEW_SECONDS) {
            throw refused(Reason.EXPIRED);
        }
        if (iat > now + DeviceToken.CLOCK_SKEW_SECONDS) {
            throw refused(Reason.ISSUED_IN_FUTURE);
        }
        if (!(claims.get("jti") instanceof String jti) || !isJti(jti)) {
            throw refused(Reason.JTI);
        }
        return new Claims(keyId, jti, iat, exp);
    }

    private static boolean isJti(String jti) {
        if (jti == null || jti.length() > DeviceToken.MAX_JTI_LENGTH) {
            return false;
        }
        try {
            return Base64Url.decode(jti).length >= DeviceToken.MIN_JTI_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long seconds(Object value) {
        if (value instanceof Json.JsonNumber number && SECONDS.matcher(number.text()).matches()) {
            return Long.parseLong(number.text());
        }
        throw refused(Reason.TIMES);
    }

    private static Map<?, ?> object(String part) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64Url.decode(part))).toString();
            if (Json.parse(text) instanceof Map<?, ?> object) {
                return object;
            }
        } catch (CharacterCodingException | IllegalArgumentException e) {
            // refused below
        }
        throw refused(Reason.MALFORMED);
    }

    private static InvalidDeviceTokenException refused(Reason reason) {
        return new InvalidDeviceTokenException(reason);
    }
}
