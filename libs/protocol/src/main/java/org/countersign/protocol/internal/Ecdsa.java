package org.countersign.protocol.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA with SHA-256, as protocol.md uses it: DER ({@code Ecdsa-Sig-Value} of X9.62) for the
 * confirmation and push signatures and the CSR, raw {@code R‖S} (IEEE P1363, RFC 7518) for ES256.
 *
 * <p>Signing goes through the JDK's {@link Signature}, so a key held in a key store works.
 * Verification has one core, BouncyCastle's {@link ECDSASigner} over (r, s), which refuses r or s
 * outside [1, n-1]. Each encoding is read strictly before it gets there: DER must be exactly the
 * canonical DER of two positive INTEGERs (no BER, no long-form lengths that are not needed, no
 * leading zeros, nothing after it), and P1363 exactly 64 bytes. A high s (s > n/2) is accepted,
 * as the JDK, key stores and Wycheproof do: see docs/protocol.md, "Choices".
 */
public final class Ecdsa {

    /** r and s of P-256, 32 bytes each. */
    public static final int P1363_LENGTH = 64;

    /** Longer than any DER signature of a curve up to P-521 (a CSR may hold another curve's key). */
    private static final int MAX_DER_LENGTH = 160;

    private Ecdsa() {
    }

    /** A DER signature, from the JDK's provider (randomized). */
    public static byte[] signDer(PrivateKey key, byte[] message) {
        return sign("SHA256withECDSA", key, message);
    }

    /** A 64-byte R‖S signature, from the JDK's provider (randomized). */
    public static byte[] signP1363(PrivateKey key, byte[] message) {
        return sign("SHA256withECDSAinP1363Format", key, message);
    }

    /** Whether {@code der} is a canonical DER signature of {@code message} under the P-256 point {@code q}. */
    public static boolean verifyDer(ECPoint q, byte[] message, byte[] der) {
        BigInteger[] rs = decodeDer(der);
        return rs != null && verify(new ECPublicKeyParameters(q, P256Curve.DOMAIN), message, rs[0], rs[1]);
    }

    /** Whether {@code p1363} is exactly 64 bytes of R‖S that sign {@code message} under the P-256 point {@code q}. */
    public static boolean verifyP1363(ECPoint q, byte[] message, byte[] p1363) {
        if (p1363 == null || p1363.length != P1363_LENGTH) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(p1363, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(p1363, 32, 64));
        return verify(new ECPublicKeyParameters(q, P256Curve.DOMAIN), message, r, s);
    }

    /** The one verification core: SHA-256 of the message, then ECDSA over (r, s), on any EC domain. */
    public static boolean verify(ECPublicKeyParameters key, byte[] message, BigInteger r, BigInteger s) {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256(message), r, s);
    }

    /**
     * (r, s) of a DER {@code Ecdsa-Sig-Value}, or null unless {@code der} is exactly its canonical
     * DER encoding with r and s positive.
     */
    public static BigInteger[] decodeDer(byte[] der) {
        if (der == null || der.length == 0 || der.length > MAX_DER_LENGTH) {
            return null;
        }
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der); // refuses bytes after the value
            if (!(primitive instanceof ASN1Sequence sequence) || sequence.size() != 2
                    || !(sequence.getObjectAt(0) instanceof ASN1Integer r)
                    || !(sequence.getObjectAt(1) instanceof ASN1Integer s)
                    || r.getValue().signum() <= 0 || s.getValue().signum() <= 0) {
                return null;
            }
            byte[] canonical = new DERSequence(new ASN1Encodable[] {r, s}).getEncoded(ASN1Encoding.DER);
            return Arrays.equals(canonical, der) ? new BigInteger[] {r.getValue(), s.getValue()} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The canonical DER of (r, s). */
    public static byte[] encodeDer(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static byte[] sign(String algorithm, PrivateKey key, byte[] message) {
        if (key == null) {
            throw new IllegalArgumentException("A P-256 private key is required");
        }
        if (key instanceof ECKey ec && ec.getParams() != null && !P256Curve.isP256(ec.getParams())) {
            throw new IllegalArgumentException("Not a P-256 private key");
        }
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("Not a P-256 private key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }
}
