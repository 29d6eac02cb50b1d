package org.countersign.protocol;

import static org.countersign.protocol.Wycheproof.Outcome.ACCEPTED;
import static org.countersign.protocol.Wycheproof.Outcome.REFUSED;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.P256Curve;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof (C2SP) against the code paths the protocol uses: ES256 token signatures, DER
 * confirmation and push signatures, and ECDH from both sides (the device with the 65-byte
 * {@code epk}, the server with the device's SubjectPublicKeyInfo).
 */
class WycheproofTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(JsonNode node) {
        return HEX.parseHex(node.asText());
    }

    private static ECPoint publicPoint(JsonNode group) {
        return P256Curve.validPoint(P256.encodePoint(P256.decodePoint(hex(group.path("publicKey").path("uncompressed")))));
    }

    @Test
    void es256_p1363Signatures() {
        Wycheproof file = Wycheproof.load("ecdsa_secp256r1_sha256_p1363_test.json");
        file.run((group, test) -> Ecdsa.verifyP1363(publicPoint(group), hex(test.path("msg")), hex(test.path("sig"))) ? ACCEPTED : REFUSED,
                null).assertAllPassed(file.numberOfTests());
    }

    @Test
    void derSignatures_strict() {
        Wycheproof file = Wycheproof.load("ecdsa_secp256r1_sha256_test.json");
        file.run((group, test) -> Ecdsa.verifyDer(publicPoint(group), hex(test.path("msg")), hex(test.path("sig"))) ? ACCEPTED : REFUSED,
                null).assertAllPassed(file.numberOfTests());
    }

    /** The device's side: epk as a 65-byte point. Compressed points ("acceptable") are refused on purpose. */
    @Test
    void ecdh_deviceWithTheEphemeralPoint() {
        Wycheproof file = Wycheproof.load("ecdh_secp256r1_ecpoint_test.json");
        file.run((group, test) -> ecdh(test, () -> P256.decodePoint(hex(test.path("public")))), REFUSED)
                .assertAllPassed(file.numberOfTests());
    }

    /**
     * The server's side: the device key as SubjectPublicKeyInfo DER. Everything but a named-curve
     * P-256 key with an uncompressed point in canonical DER is refused on purpose, "acceptable"
     * cases (compressed points, explicit parameters, unusual but harmless encodings) included.
     */
    @Test
    void ecdh_serverWithTheDeviceKey() {
        Wycheproof file = Wycheproof.load("ecdh_secp256r1_test.json");
        file.run((group, test) -> ecdh(test, () -> P256.decodeSpki(hex(test.path("public")))), REFUSED)
                .assertAllPassed(file.numberOfTests());
    }

    private static Wycheproof.Outcome ecdh(JsonNode test, java.util.function.Supplier<ECPublicKey> decode) {
        ECPublicKey publicKey;
        try {
            publicKey = decode.get();
        } catch (IllegalArgumentException e) {
            return REFUSED;
        }
        KeyPair own = P256Curve.keyPair(new BigInteger(1, hex(test.path("private"))));
        byte[] z = SealedInstanceSecret.sharedSecret(own.getPrivate(), publicKey).reveal();
        if (!Arrays.equals(hex(test.path("shared")), z)) {
            throw new AssertionError("shared secret " + HEX.formatHex(z));
        }
        return ACCEPTED;
    }
}
