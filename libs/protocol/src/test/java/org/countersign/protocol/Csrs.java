package org.countersign.protocol;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.countersign.protocol.internal.P256Curve;

/**
 * Hand-made certification requests, right and wrong, for the server's CSR checks: every field can
 * be chosen, and the request is signed over the DER of what was chosen.
 */
final class Csrs {

    static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private Csrs() {
    }

    static X500Name cn(String value) {
        return new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(value))});
    }

    static SubjectPublicKeyInfo spki(KeyPair keys) {
        return SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    }

    /** A P-256 key's SubjectPublicKeyInfo with the curve written out as explicit parameters. */
    static SubjectPublicKeyInfo explicitParameters(ECPublicKey key) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        X9ECParameters explicit = new X9ECParameters(curve.getCurve(), curve.getBaseEntry(), curve.getN(), curve.getH(), curve.getSeed());
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, explicit),
                P256.encodePoint(key));
    }

    /** A P-256 key's SubjectPublicKeyInfo with a compressed point. */
    static SubjectPublicKeyInfo compressed(ECPublicKey key) {
        byte[] point = P256Curve.validPoint(key).getEncoded(true);
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1), point);
    }

    static byte[] build(X500Name subject, SubjectPublicKeyInfo spki, AlgorithmIdentifier algorithm, String jcaAlgorithm,
                        PrivateKey signer) {
        return build(new CertificationRequestInfo(subject, spki, new DERSet()), algorithm, jcaAlgorithm, signer);
    }

    static byte[] build(CertificationRequestInfo info, AlgorithmIdentifier algorithm, String jcaAlgorithm, PrivateKey signer) {
        try {
            Signature signature = Signature.getInstance(jcaAlgorithm);
            signature.initSign(signer);
            signature.update(info.getEncoded(ASN1Encoding.DER));
            return new CertificationRequest(info, algorithm, new DERBitString(signature.sign())).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request with raw parts: version, subject, key, attributes (null leaves the field out). */
    static byte[] buildRaw(int version, X500Name subject, SubjectPublicKeyInfo spki, ASN1Set attributes, PrivateKey signer) {
        try {
            ASN1Encodable[] fields = attributes == null
                    ? new ASN1Encodable[] {new ASN1Integer(version), subject, spki}
                    : new ASN1Encodable[] {new ASN1Integer(version), subject, spki, new DERTaggedObject(false, 0, attributes)};
            byte[] infoDer = new DERSequence(fields).getEncoded(ASN1Encoding.DER);
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(signer);
            signature.update(infoDer);
            return new DERSequence(new ASN1Encodable[] {ASN1Primitive.fromByteArray(infoDer), ECDSA_SHA256,
                    new DERBitString(signature.sign())}).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlgorithmIdentifier ecdsaSha256WithNull() {
        return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256, DERNull.INSTANCE);
    }

    static AlgorithmIdentifier rsaSha256() {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    }

    static KeyPair generate(String algorithm, java.security.spec.AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair p384() {
        return generate("EC", new ECGenParameterSpec("secp384r1"));
    }

    static KeyPair rsa() {
        return generate("RSA", new java.security.spec.RSAKeyGenParameterSpec(2048, java.security.spec.RSAKeyGenParameterSpec.F4));
    }

    /** The outer SEQUENCE re-written with the BER indefinite length: same content, not DER. */
    static byte[] indefiniteLength(byte[] der) {
        int headerLength = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7F);
        byte[] ber = new byte[der.length - headerLength + 4];
        ber[0] = 0x30;
        ber[1] = (byte) 0x80;
        System.arraycopy(der, headerLength, ber, 2, der.length - headerLength);
        return ber; // ends with the two zero bytes of end-of-contents
    }

    /** The outer SEQUENCE's length re-written one byte longer than needed (0x82 00 xx for 0x81 xx). */
    static byte[] longFormLength(byte[] der) {
        if (der[1] != (byte) 0x81) {
            throw new IllegalStateException("expected a one-byte long-form length");
        }
        byte[] ber = new byte[der.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x82;
        ber[2] = 0;
        System.arraycopy(der, 2, ber, 3, der.length - 2);
        return ber;
    }

    static BigInteger[] rs(byte[] der) {
        return org.countersign.protocol.internal.Ecdsa.decodeDer(der);
    }
}
