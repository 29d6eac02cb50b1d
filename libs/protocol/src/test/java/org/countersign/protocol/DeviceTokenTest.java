package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.protocol.InvalidDeviceTokenException.Reason;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.DeviceJwt;
import org.junit.jupiter.api.Test;

/** Device tokens (protocol.md, "Device authentication"): each refusal and each boundary, with fresh keys. */
class DeviceTokenTest {

    private static final KeyPair DEVICE = P256.generateKeyPair();
    private static final ECPublicKey KEY = (ECPublicKey) DEVICE.getPublic();
    private static final String IID = "inst-1";
    private static final String AUD = DeviceToken.PUSH_AUDIENCE;
    private static final long IAT = 1_800_000_000L;
    private static final String JTI = DeviceToken.newJti();
    private static final String HEADER = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"inst-1\"}";

    private static String claims(String aud, long iat, long exp, String jti) {
        return "{\"iss\":\"inst-1\",\"sub\":\"inst-1\",\"aud\":" + aud + ",\"iat\":" + iat + ",\"exp\":" + exp
                + (jti == null ? "" : ",\"jti\":\"" + jti + "\"") + "}";
    }

    private static Reason refusal(String token, long now) {
        return assertThrows(InvalidDeviceTokenException.class,
                () -> DeviceToken.verify(token, KEY, AUD, Instant.ofEpochSecond(now))).reason();
    }

    private static String raw(String header, String claims) {
        return DeviceJwt.signP1363(DEVICE.getPrivate(), header, claims);
    }

    @Test
    void signThenVerify_givesTheClaims() {
        String token = DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 300, JTI);
        DeviceToken verified = DeviceToken.verify(token, AUD, Instant.ofEpochSecond(IAT), kid -> kid.equals(IID) ? KEY : null);
        assertEquals(IID, verified.instanceId());
        assertEquals(JTI, verified.jti());
        assertEquals(IAT, verified.issuedAt());
        assertEquals(IAT + 300, verified.expiresAt());
        assertEquals(IAT + 360, verified.replayWindowEnd());
        assertEquals(IID, DeviceToken.keyId(token));
        String[] parts = token.split("\\.");
        assertEquals(HEADER, new String(Base64Url.decode(parts[0]), StandardCharsets.UTF_8));
        assertEquals(claims("\"countersign-push\"", IAT, IAT + 300, JTI), new String(Base64Url.decode(parts[1]), StandardCharsets.UTF_8));
        assertEquals(64, Base64Url.decode(parts[2]).length);
    }

    @Test
    void verify_clockSkewBoundaries() {
        String token = DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 300, JTI);
        DeviceToken.verify(token, KEY, AUD, Instant.ofEpochSecond(IAT - 60));
        assertEquals(Reason.ISSUED_IN_FUTURE, refusal(token, IAT - 61));
        DeviceToken.verify(token, KEY, AUD, Instant.ofEpochSecond(IAT + 359));
        assertEquals(Reason.EXPIRED, refusal(token, IAT + 360));
    }

    @Test
    void verify_lifetimeBoundaries() {
        DeviceToken.verify(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 300, JTI)), KEY, AUD, Instant.ofEpochSecond(IAT));
        assertEquals(Reason.LIFETIME, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 301, JTI)), IAT));
        assertEquals(Reason.LIFETIME, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT, JTI)), IAT));
        assertEquals(Reason.LIFETIME, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT - 1, JTI)), IAT));
    }

    @Test
    void verify_eachDefect_refusedWithItsReason() {
        String good = claims("\"" + AUD + "\"", IAT, IAT + 60, JTI);
        assertEquals(Reason.ALGORITHM, refusal(Base64Url.encode(HEADER.replace("ES256", "none").getBytes(StandardCharsets.UTF_8))
                + "." + Base64Url.encode(good.getBytes(StandardCharsets.UTF_8)) + ".", IAT));
        assertEquals(Reason.ALGORITHM, refusal(raw(HEADER.replace("ES256", "HS256"), good), IAT));
        assertEquals(Reason.ALGORITHM, refusal(raw(HEADER.replace("ES256", "RS256"), good), IAT));
        assertEquals(Reason.ALGORITHM, refusal(raw(HEADER.replace("ES256", "ES384"), good), IAT));
        assertEquals(Reason.HEADER, refusal(raw(HEADER.replace(",\"typ\":\"JWT\"", ""), good), IAT));
        assertEquals(Reason.HEADER, refusal(raw(HEADER.replace("}", ",\"crit\":[\"b64\"],\"b64\":false}"), good), IAT));
        assertEquals(Reason.HEADER, refusal(raw(HEADER.replace("}", ",\"x5u\":\"https://evil.example\"}"), good), IAT));
        assertEquals(Reason.HEADER, refusal(raw(HEADER.replace("\"inst-1\"", "1"), good), IAT));
        assertEquals(Reason.ISSUER, refusal(raw(HEADER, good.replace("\"iss\":\"inst-1\"", "\"iss\":\"inst-2\"")), IAT));
        assertEquals(Reason.ISSUER, refusal(raw(HEADER, good.replace("\"sub\":\"inst-1\"", "\"sub\":null")), IAT));
        assertEquals(Reason.ISSUER, refusal(raw(HEADER.replace("inst-1", "inst-2"), good), IAT));
        assertEquals(Reason.AUDIENCE, refusal(raw(HEADER, claims("[\"" + AUD + "\"]", IAT, IAT + 60, JTI)), IAT));
        assertEquals(Reason.AUDIENCE, refusal(raw(HEADER, claims("\"countersign-otp\"", IAT, IAT + 60, JTI)), IAT));
        assertEquals(Reason.AUDIENCE, refusal(raw(HEADER, claims("\"Countersign-Push\"", IAT, IAT + 60, JTI)), IAT));
        assertEquals(Reason.TIMES, refusal(raw(HEADER, good.replace("\"iat\":" + IAT, "\"iat\":-1")), IAT));
        assertEquals(Reason.TIMES, refusal(raw(HEADER, good.replace("\"iat\":" + IAT, "\"iat\":" + IAT + ".5")), IAT));
        assertEquals(Reason.TIMES, refusal(raw(HEADER, good.replace("\"iat\":" + IAT, "\"iat\":1e9")), IAT));
        assertEquals(Reason.TIMES, refusal(raw(HEADER, good.replace("\"iat\":" + IAT, "\"iat\":99999999999999999999")), IAT));
        assertEquals(Reason.TIMES, refusal(raw(HEADER, good.replace("\"iat\":" + IAT, "\"iat\":true")), IAT));
        assertEquals(Reason.JTI, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 60, null)), IAT));
        assertEquals(Reason.JTI, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 60, Base64Url.encode(new byte[15]))), IAT));
        assertEquals(Reason.JTI, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 60, "A".repeat(129))), IAT));
        assertEquals(Reason.JTI, refusal(raw(HEADER, claims("\"" + AUD + "\"", IAT, IAT + 60, JTI + "+")), IAT));
        assertEquals(Reason.MALFORMED, refusal(raw(HEADER, good.replace("{", "{\"exp\":" + (IAT + 60) + ",")), IAT));
        assertEquals(Reason.MALFORMED, refusal(raw(HEADER, good + " x"), IAT));
        assertEquals(Reason.MALFORMED, refusal(null, IAT));
        assertEquals(Reason.MALFORMED, refusal("", IAT));
        assertEquals(Reason.MALFORMED, refusal("a.b.c".repeat(1000), IAT));
    }

    @Test
    void verify_signatureDefects_refused() {
        String token = DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 60, JTI);
        String[] parts = token.split("\\.");
        byte[] p1363 = Base64Url.decode(parts[2]);
        byte[] der = org.countersign.protocol.internal.Ecdsa.encodeDer(new java.math.BigInteger(1, java.util.Arrays.copyOf(p1363, 32)),
                new java.math.BigInteger(1, java.util.Arrays.copyOfRange(p1363, 32, 64)));
        assertEquals(Reason.SIGNATURE, refusal(parts[0] + "." + parts[1] + "." + Base64Url.encode(der), IAT));
        assertEquals(Reason.SIGNATURE, refusal(parts[0] + "." + parts[1] + "." + Base64Url.encode(new byte[64]), IAT));
        byte[] flipped = p1363.clone();
        flipped[10] ^= 1;
        assertEquals(Reason.SIGNATURE, refusal(parts[0] + "." + parts[1] + "." + Base64Url.encode(flipped), IAT));
        assertEquals(Reason.SIGNATURE, refusal(DeviceToken.sign(P256.generateKeyPair().getPrivate(), IID, AUD, IAT, IAT + 60, JTI), IAT));
        // The same claims in other bytes: the signature is over the text as sent.
        assertEquals(Reason.SIGNATURE, refusal(parts[0] + "." + Base64Url.encode((new String(Base64Url.decode(parts[1]),
                StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8)) + "." + parts[2], IAT));
    }

    @Test
    void verify_lookup_calledOnceOnlyForAWellFormedHeader() {
        AtomicInteger lookups = new AtomicInteger();
        String token = DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 60, JTI);
        InvalidDeviceTokenException unknown = assertThrows(InvalidDeviceTokenException.class, () -> DeviceToken.verify(token, AUD,
                Instant.ofEpochSecond(IAT), kid -> {
                    lookups.incrementAndGet();
                    return null;
                }));
        assertEquals(Reason.UNKNOWN_INSTANCE, unknown.reason());
        assertThrows(InvalidDeviceTokenException.class, () -> DeviceToken.verify(raw(HEADER.replace("ES256", "none"), "{}"), AUD,
                Instant.ofEpochSecond(IAT), kid -> {
                    lookups.incrementAndGet();
                    return KEY;
                }));
        assertEquals(1, lookups.get());
        assertEquals(Reason.HEADER, assertThrows(InvalidDeviceTokenException.class,
                () -> DeviceToken.keyId(raw(HEADER.replace(",\"typ\":\"JWT\"", ""), "{}"))).reason());
    }

    @Test
    void sign_tokenAServerWouldRefuse_refused() {
        assertThrows(IllegalArgumentException.class, () -> DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 301, JTI));
        assertThrows(IllegalArgumentException.class, () -> DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT, JTI));
        assertThrows(IllegalArgumentException.class, () -> DeviceToken.sign(DEVICE.getPrivate(), "a|b", AUD, IAT, IAT + 1, JTI));
        assertThrows(IllegalArgumentException.class, () -> DeviceToken.sign(DEVICE.getPrivate(), IID, "", IAT, IAT + 1, JTI));
        assertThrows(IllegalArgumentException.class,
                () -> DeviceToken.sign(DEVICE.getPrivate(), IID, AUD, IAT, IAT + 1, Base64Url.encode(new byte[15])));
        assertEquals(16, Base64Url.decode(DeviceToken.newJti()).length);
    }

    @Test
    void refusal_messageSaysNothing() {
        for (Reason reason : Reason.values()) {
            assertEquals("invalid device token", new InvalidDeviceTokenException(reason).getMessage());
        }
    }
}
