package org.countersign.protocol;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import org.countersign.protocol.internal.P256Curve;

/**
 * Device keys: NIST P-256 (secp256r1) key pairs and the two encodings of their public keys that
 * the protocol and the servers need. Decoding is strict and validates the point, so a key that
 * comes back from storage or over the wire is a real P-256 key or an {@link IllegalArgumentException}.
 *
 * <ul>
 *   <li>The <b>point</b>: 65 bytes, {@code 0x04 ‖ x ‖ y} (SEC 1 uncompressed), as {@code epk} travels.</li>
 *   <li><b>SubjectPublicKeyInfo</b> DER (RFC 5480: id-ecPublicKey, named curve secp256r1,
 *       uncompressed point), as a CSR and a certificate carry it: the form in which a server
 *       stores a device's key (base64url of it in a text column, for instance).</li>
 * </ul>
 */
public final class P256 {

    /** Length of an uncompressed point. */
    public static final int POINT_LENGTH = P256Curve.POINT_LENGTH;

    private P256() {
    }

    /**
     * A fresh device key pair from the JDK's provider. A device with a key store (Android
     * Keystore, Secure Enclave) may make its own: every method of this library takes any
     * {@code PrivateKey} that can do SHA256withECDSA and ECDH over P-256.
     */
    public static KeyPair generateKeyPair() {
        return P256Curve.generate();
    }

    /** The 65-byte uncompressed point of {@code key}. @throws IllegalArgumentException unless a P-256 key */
    public static byte[] encodePoint(ECPublicKey key) {
        return P256Curve.encode(P256Curve.validPoint(key));
    }

    /**
     * @param point 65 bytes, {@code 0x04 ‖ x ‖ y}
     * @throws IllegalArgumentException unless it is exactly that, with the point on P-256 (an
     *     invalid-curve point, a coordinate of p or more, a compressed point and the point at
     *     infinity are refused)
     */
    public static ECPublicKey decodePoint(byte[] point) {
        return P256Curve.jdkKey(P256Curve.validPoint(point));
    }

    /** SubjectPublicKeyInfo DER of {@code key}. @throws IllegalArgumentException unless a P-256 key */
    public static byte[] encodeSpki(ECPublicKey key) {
        return P256Curve.spki(P256Curve.validPoint(key));
    }

    /**
     * @throws IllegalArgumentException unless {@code spki} is exactly the DER that
     *     {@link #encodeSpki} writes for some P-256 key (explicit curve parameters, other curves,
     *     RSA, compressed points, BER and trailing bytes are refused)
     */
    public static ECPublicKey decodeSpki(byte[] spki) {
        return P256Curve.jdkKey(P256Curve.pointOfSpki(spki));
    }
}
