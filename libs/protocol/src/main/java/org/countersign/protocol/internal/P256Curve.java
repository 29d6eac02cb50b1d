package org.countersign.protocol.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * NIST P-256 (secp256r1) for both the JDK (keys, ECDH, signing, which may run in a key store) and
 * BouncyCastle's curve arithmetic (point validation, signature verification). Every point that
 * comes from outside goes through {@link #validPoint}: on the curve, coordinates below p, not the
 * point at infinity. P-256 has cofactor 1, so a point on the curve is in the prime-order group.
 */
public final class P256Curve {

    /** An uncompressed point: 0x04, then x and y, 32 bytes each. */
    public static final int POINT_LENGTH = 65;
    public static final int COORDINATE_LENGTH = 32;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    private static final ECParameterSpec JDK_SPEC = jdkSpec();

    private P256Curve() {
    }

    /** The group order n. */
    public static BigInteger order() {
        return DOMAIN.getN();
    }

    /** Whether {@code spec} describes P-256 (whatever provider made it). */
    public static boolean isP256(ECParameterSpec spec) {
        return spec != null
                && spec.getCofactor() == 1
                && spec.getOrder().equals(DOMAIN.getN())
                && spec.getCurve().equals(JDK_SPEC.getCurve())
                && spec.getGenerator().equals(JDK_SPEC.getGenerator());
    }

    /**
     * @param encoded an uncompressed point, 65 bytes
     * @throws IllegalArgumentException unless it is a point of P-256 other than infinity
     */
    public static ECPoint validPoint(byte[] encoded) {
        if (encoded == null || encoded.length != POINT_LENGTH || encoded[0] != 0x04) {
            throw new IllegalArgumentException("Not an uncompressed P-256 point");
        }
        return validPoint(new BigInteger(1, Arrays.copyOfRange(encoded, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(encoded, 33, 65)));
    }

    /** @throws IllegalArgumentException unless (x, y) is a point of P-256 */
    public static ECPoint validPoint(BigInteger x, BigInteger y) {
        try {
            // Refuses coordinates of p or more, and any point that is not on the curve.
            ECPoint point = CURVE.getCurve().validatePoint(x, y);
            if (point.isInfinity()) {
                throw new IllegalArgumentException("The point at infinity");
            }
            return point;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a P-256 point");
        }
    }

    /** @throws IllegalArgumentException unless {@code key} is a P-256 key with a valid point */
    public static ECPoint validPoint(ECPublicKey key) {
        if (key == null || !isP256(key.getParams())) {
            throw new IllegalArgumentException("Not a P-256 public key");
        }
        return validPoint(key.getW().getAffineX(), key.getW().getAffineY());
    }

    /** The 65-byte uncompressed encoding. */
    public static byte[] encode(ECPoint point) {
        return point.normalize().getEncoded(false);
    }

    /** SubjectPublicKeyInfo DER: id-ecPublicKey, named curve secp256r1 (prime256v1), uncompressed point. */
    public static byte[] spki(ECPoint point) {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    X9ObjectIdentifiers.prime256v1), encode(point)).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException unless {@code spki} is exactly the DER {@link #spki} writes
     *     for a valid point (BER, trailing bytes and every other key are refused)
     */
    public static ECPoint pointOfSpki(byte[] spki) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(spki)); // refuses trailing bytes
            if (info == null || !Arrays.equals(info.getEncoded(ASN1Encoding.DER), spki)) {
                throw new IllegalArgumentException("Not DER");
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a SubjectPublicKeyInfo");
        }
        return pointOf(info);
    }

    /**
     * @throws IllegalArgumentException unless {@code info} is an id-ecPublicKey with the named curve
     *     secp256r1 (not explicit parameters, not another curve) and an uncompressed valid point
     */
    public static ECPoint pointOf(SubjectPublicKeyInfo info) {
        AlgorithmIdentifier algorithm = info.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())) {
            throw new IllegalArgumentException("Not a P-256 key with a named curve");
        }
        try {
            // getOctets refuses a BIT STRING with unused bits.
            return validPoint(info.getPublicKeyData().getOctets());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not an uncompressed P-256 point");
        }
    }

    /** A JDK public key for a valid point. */
    public static ECPublicKey jdkKey(ECPoint point) {
        ECPoint normal = point.normalize();
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                normal.getAffineXCoord().toBigInteger(), normal.getAffineYCoord().toBigInteger());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, JDK_SPEC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC keys are unavailable", e);
        }
    }

    /** A fresh key pair from the JDK's provider. */
    public static KeyPair generate() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new java.security.SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is unavailable", e);
        }
    }

    /**
     * The key pair of a given private scalar, for frozen vectors and tests only: real keys come
     * from {@link #generate()} or a key store.
     */
    public static KeyPair keyPair(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(DOMAIN.getN()) >= 0) {
            throw new IllegalArgumentException("A private scalar lies in [1, n-1]");
        }
        ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, JDK_SPEC));
            return new KeyPair(jdkKey(q), privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC keys are unavailable", e);
        }
    }

    /**
     * ECDH: the x-coordinate of the shared point, 32 raw bytes (not hashed). The public key must
     * already be validated; the JDK checks it again.
     */
    public static byte[] sharedX(PrivateKey privateKey, ECPublicKey publicKey) {
        validPoint(publicKey);
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(publicKey, true);
            byte[] z = agreement.generateSecret();
            if (z.length != COORDINATE_LENGTH) {
                throw new IllegalStateException("ECDH over P-256 gives 32 bytes");
            }
            return z;
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("Not a P-256 key for ECDH");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH is unavailable", e);
        }
    }

    /** Big-endian unsigned, left-padded to 32 bytes. */
    public static byte[] fixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (raw.length == COORDINATE_LENGTH) {
            return raw;
        }
        byte[] out = new byte[COORDINATE_LENGTH];
        if (raw.length > COORDINATE_LENGTH) {
            if (raw.length != COORDINATE_LENGTH + 1 || raw[0] != 0) {
                throw new IllegalArgumentException("More than 32 bytes");
            }
            System.arraycopy(raw, 1, out, 0, COORDINATE_LENGTH);
        } else {
            System.arraycopy(raw, 0, out, COORDINATE_LENGTH - raw.length, raw.length);
        }
        return out;
    }

    private static ECParameterSpec jdkSpec() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is unavailable", e);
        }
    }
}
