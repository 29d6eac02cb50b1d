package org.countersign.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.countersign.protocol.InvalidEnrolmentException;
import org.countersign.protocol.InvalidEnrolmentException.Reason;

/**
 * The device's PKCS#10 certification request (RFC 2986): made with BouncyCastle's builder, signed
 * through the JDK (so a key store key works), and checked strictly on the server.
 */
public final class Pkcs10 {

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private Pkcs10() {
    }

    /**
     * Subject exactly {@code CN=<sn>} (one RDN, UTF8String), the key's SubjectPublicKeyInfo as
     * {@link P256Curve#spki} writes it, an empty attributes set, ecdsa-with-SHA256 without
     * parameters. The signature is randomized, so two requests differ in their last bytes.
     */
    public static byte[] create(KeyPair keys, String sn) {
        if (keys == null || !(keys.getPublic() instanceof ECPublicKey publicKey)) {
            throw new IllegalArgumentException("A P-256 key pair is required");
        }
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(P256Curve.spki(P256Curve.validPoint(publicKey)));
        X500Name subject = new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(sn))});
        ContentSigner signer = new ContentSigner() {
            private final ByteArrayOutputStream signed = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return ECDSA_WITH_SHA256;
            }

            @Override
            public OutputStream getOutputStream() {
                return signed;
            }

            @Override
            public byte[] getSignature() {
                return Ecdsa.signDer(keys.getPrivate(), signed.toByteArray());
            }
        };
        try {
            return new PKCS10CertificationRequestBuilder(subject, spki).build(signer).toASN1Structure()
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The CSR checks of protocol.md after the proof, in order: well-formed DER PKCS#10, its own
     * signature, a P-256 key, the subject.
     *
     * @return the device's public point
     * @throws InvalidEnrolmentException with the first check that failed
     */
    public static ECPoint check(byte[] der, String sn, int maxLength) {
        // 1. Exactly one canonical DER CertificationRequest, version 0, attributes present, key readable.
        CertificationRequestInfo info;
        CertificationRequest request;
        AsymmetricKeyParameter key;
        try {
            if (der.length > maxLength) {
                throw new IllegalArgumentException("too long");
            }
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der); // refuses bytes after the request
            request = CertificationRequest.getInstance(primitive);
            if (request == null || !Arrays.equals(request.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("not DER");
            }
            info = request.getCertificationRequestInfo();
            if (!BigInteger.ZERO.equals(info.getVersion().getValue()) || info.getAttributes() == null) {
                throw new IllegalArgumentException("not version 0 with attributes");
            }
            key = PublicKeyFactory.createKey(info.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new InvalidEnrolmentException(Reason.MALFORMED_CSR);
        }

        // 2. The request's own signature: SHA256withECDSA, canonical DER, under the request's key.
        AlgorithmIdentifier algorithm = request.getSignatureAlgorithm();
        if (!ECDSA_WITH_SHA256.getAlgorithm().equals(algorithm.getAlgorithm()) || algorithm.getParameters() != null
                || !(key instanceof ECPublicKeyParameters ecKey)) {
            throw new InvalidEnrolmentException(Reason.SIGNATURE);
        }
        try {
            BigInteger[] rs = Ecdsa.decodeDer(request.getSignature().getOctets());
            byte[] signed = info.getEncoded(ASN1Encoding.DER); // equal to the bytes sent: the whole request is DER
            if (rs == null || !Ecdsa.verify(ecKey, signed, rs[0], rs[1])) {
                throw new InvalidEnrolmentException(Reason.SIGNATURE);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidEnrolmentException refused) {
                throw refused;
            }
            throw new InvalidEnrolmentException(Reason.SIGNATURE);
        }

        // 3. P-256 with a named curve and an uncompressed point.
        ECPoint point;
        try {
            point = P256Curve.pointOf(info.getSubjectPublicKeyInfo());
        } catch (IllegalArgumentException e) {
            throw new InvalidEnrolmentException(Reason.KEY_NOT_P256);
        }

        // 4. Exactly CN=<sn>: one RDN, one attribute, a UTF8String or PrintableString.
        RDN[] rdns = info.getSubject().getRDNs();
        AttributeTypeAndValue cn = rdns.length == 1 && !rdns[0].isMultiValued() ? rdns[0].getFirst() : null;
        ASN1Encodable value = cn == null ? null : cn.getValue();
        if (cn == null || !BCStyle.CN.equals(cn.getType())
                || !(value instanceof ASN1UTF8String || value instanceof ASN1PrintableString)
                || !((ASN1String) value).getString().equals(sn)) {
            throw new InvalidEnrolmentException(Reason.SUBJECT);
        }
        return point;
    }
}
