package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.countersign.protocol.InvalidEnrolmentException.Reason;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * Online activation from both sides with fresh keys: the round trip, then every refusal of the
 * server's CSR checks (and their order), of the device's epk check, of a tampered answer, and of
 * a wrong confirmation code or signature.
 */
class OnlineActivationTest {

    private static final String RID = "reg-1";
    private static final String IID = "inst-1";
    private static final String SN = "CS0000001";
    private static final OtpPolicy OTP = OtpPolicy.DEFAULT;

    private final Secret ap = Secret.random(20);
    private final KeyPair device = P256.generateKeyPair();
    private final ECPublicKey key = (ECPublicKey) device.getPublic();

    private Reason refusal(byte[] csr) {
        return refusal(Base64Url.encode(csr), EnrolmentRequest.proof(ap, RID, EnrolmentRequest.csrHash(csr)));
    }

    private Reason refusal(String csr, String proof) {
        return assertThrows(InvalidEnrolmentException.class, () -> EnrolmentRequest.verify(ap, RID, SN, csr, proof)).reason();
    }

    private byte[] signed(X500Name subject, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki, KeyPair signer) {
        return Csrs.build(subject, spki, Csrs.ECDSA_SHA256, "SHA256withECDSA", signer.getPrivate());
    }

    @Test
    void roundTrip_deviceAndServer_agreeOnEverything() {
        EnrolmentMessage enrolment = ProtocolUris.parseEnrolment(
                ProtocolUris.enrolment("https://cs.example.com", RID, SN, ap, "Bank", "alice", null));
        EnrolmentRequest request = EnrolmentRequest.create(enrolment, device);

        VerifiedEnrolment verified = EnrolmentRequest.verify(ap, RID, SN, request.csrBase64url(), request.proof());
        assertArrayEquals(P256.encodePoint(key), P256.encodePoint(verified.devicePublicKey()));
        assertEquals(request.h(), verified.h());
        assertArrayEquals(request.csr(), verified.csr());
        Secret is = Secret.random(32);
        SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, IID, OTP, is);

        Secret opened = SealedInstanceSecret.parse(sealed.epk(), sealed.n(), sealed.c())
                .open(device.getPrivate(), request.csr(), RID, IID, OTP);
        assertTrue(is.sameAs(opened));
        String code = OnlineConfirmation.code(InstanceKeys.of(opened), RID, IID, request.h());
        String signature = OnlineConfirmation.sign(device.getPrivate(), RID, IID, code);

        OnlineConfirmation.verifyCode(InstanceKeys.of(is), RID, IID, verified.h(), code);
        OnlineConfirmation.verifySignature(P256.decodeSpki(P256.encodeSpki(verified.devicePublicKey())), RID, IID, code, signature);
    }

    @Test
    void csr_builtByTheDevice_isExactlyWhatTheProtocolAsks() throws Exception {
        byte[] csr = EnrolmentRequest.create(ap, RID, SN, device).csr();
        org.bouncycastle.pkcs.PKCS10CertificationRequest parsed = new org.bouncycastle.pkcs.PKCS10CertificationRequest(csr);
        assertEquals("CN=" + SN, parsed.getSubject().toString());
        assertEquals("1.2.840.10045.4.3.2", parsed.getSignatureAlgorithm().getAlgorithm().getId());
        assertEquals(null, parsed.getSignatureAlgorithm().getParameters());
        assertEquals(0, parsed.getAttributes().length);
        assertArrayEquals(P256.encodeSpki(key), parsed.getSubjectPublicKeyInfo().getEncoded());
        assertTrue(parsed.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().build(key)));
    }

    @Test
    void proof_wrong_refusedBeforeAnythingElse() {
        byte[] csr = EnrolmentRequest.create(ap, RID, SN, device).csr();
        String proof = EnrolmentRequest.proof(ap, RID, EnrolmentRequest.csrHash(csr));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), EnrolmentRequest.proof(Secret.random(20), RID, EnrolmentRequest.csrHash(csr))));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), EnrolmentRequest.proof(ap, "reg-2", EnrolmentRequest.csrHash(csr))));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), proof.toLowerCase()));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), proof + "="));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), ""));
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(csr), null));
        // The proof of one CSR does not carry another, even a broken one.
        byte[] broken = Arrays.copyOf(csr, csr.length + 1);
        assertEquals(Reason.PROOF, refusal(Base64Url.encode(broken), proof));
        assertEquals(Reason.MALFORMED_CSR_ENCODING, refusal(Base64Url.encode(csr) + "=", proof));
        assertEquals(Reason.MALFORMED_CSR_ENCODING, refusal(null, proof));
        assertEquals(Reason.MALFORMED_CSR_ENCODING, refusal("", proof));
        assertEquals(Reason.MALFORMED_CSR_ENCODING, refusal(Base64Url.encode(new byte[4097]), proof));
    }

    @Test
    void csr_notOneDerRequest_malformed() {
        byte[] csr = EnrolmentRequest.create(ap, RID, SN, device).csr();
        assertEquals(Reason.MALFORMED_CSR, refusal(Arrays.copyOf(csr, csr.length + 1)));
        assertEquals(Reason.MALFORMED_CSR, refusal(Arrays.copyOf(csr, csr.length - 1)));
        assertEquals(Reason.MALFORMED_CSR, refusal(Csrs.indefiniteLength(csr)));
        assertEquals(Reason.MALFORMED_CSR, refusal(Csrs.longFormLength(csr)));
        assertEquals(Reason.MALFORMED_CSR, refusal(new byte[] {0x30, 0x00}));
        assertEquals(Reason.MALFORMED_CSR, refusal(P256.encodeSpki(key)));
        assertEquals(Reason.MALFORMED_CSR, refusal(Csrs.buildRaw(1, Csrs.cn(SN), Csrs.spki(device), new DERSet(), device.getPrivate())));
        assertEquals(Reason.MALFORMED_CSR, refusal(Csrs.buildRaw(0, Csrs.cn(SN), Csrs.spki(device), null, device.getPrivate())));
    }

    @Test
    void csr_signatureDefects_refused() {
        KeyPair other = P256.generateKeyPair();
        assertEquals(Reason.SIGNATURE, refusal(signed(Csrs.cn(SN), Csrs.spki(device), other)));
        assertEquals(Reason.SIGNATURE, refusal(Csrs.build(Csrs.cn(SN), Csrs.spki(device), Csrs.ecdsaSha256WithNull(), "SHA256withECDSA",
                device.getPrivate())));
        assertEquals(Reason.SIGNATURE, refusal(Csrs.build(Csrs.cn(SN), Csrs.spki(device), new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA1), "SHA1withECDSA", device.getPrivate())));
        KeyPair rsa = Csrs.rsa();
        assertEquals(Reason.SIGNATURE, refusal(Csrs.build(Csrs.cn(SN), Csrs.spki(rsa), Csrs.rsaSha256(), "SHA256withRSA", rsa.getPrivate())));
        assertEquals(Reason.SIGNATURE, refusal(Csrs.build(Csrs.cn(SN), Csrs.spki(rsa), Csrs.ECDSA_SHA256, "SHA256withRSA", rsa.getPrivate())));
        byte[] csr = EnrolmentRequest.create(ap, RID, SN, device).csr();
        byte[] flipped = csr.clone();
        flipped[flipped.length - 3] ^= 1; // inside s
        assertEquals(Reason.SIGNATURE, refusal(flipped));
        // A wrong signature wins over a wrong key and a wrong subject: the checks run in protocol.md's order.
        KeyPair p384 = Csrs.p384();
        assertEquals(Reason.SIGNATURE, refusal(signed(Csrs.cn("other"), Csrs.spki(p384), device)));
    }

    @Test
    void csr_keyNotP256_refused() {
        KeyPair p384 = Csrs.p384();
        assertEquals(Reason.KEY_NOT_P256, refusal(signed(Csrs.cn(SN), Csrs.spki(p384), p384)));
        assertEquals(Reason.KEY_NOT_P256, refusal(signed(Csrs.cn(SN), Csrs.explicitParameters(key), device)));
        assertEquals(Reason.KEY_NOT_P256, refusal(signed(Csrs.cn(SN), Csrs.compressed(key), device)));
        // The key check comes before the subject check.
        assertEquals(Reason.KEY_NOT_P256, refusal(signed(Csrs.cn("other"), Csrs.spki(p384), p384)));
    }

    @Test
    void csr_subjectNotExactlyCnSn_refused() {
        assertEquals(Reason.SUBJECT, refusal(signed(Csrs.cn("CS0000002"), Csrs.spki(device), device)));
        assertEquals(Reason.SUBJECT, refusal(signed(Csrs.cn(SN + " "), Csrs.spki(device), device)));
        assertEquals(Reason.SUBJECT, refusal(signed(new X500Name("CN=" + SN + ",O=Example"), Csrs.spki(device), device)));
        assertEquals(Reason.SUBJECT, refusal(signed(new X500Name("O=" + SN), Csrs.spki(device), device)));
        assertEquals(Reason.SUBJECT, refusal(signed(new X500Name(new RDN[0]), Csrs.spki(device), device)));
        assertEquals(Reason.SUBJECT, refusal(signed(new X500Name(new RDN[] {new RDN(BCStyle.CN,
                new org.bouncycastle.asn1.DERIA5String(SN))}), Csrs.spki(device), device)));
        // A PrintableString holds the same serial number unambiguously: accepted.
        byte[] printable = signed(new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERPrintableString(SN))}), Csrs.spki(device), device);
        EnrolmentRequest.verify(ap, RID, SN, Base64Url.encode(printable), EnrolmentRequest.proof(ap, RID, EnrolmentRequest.csrHash(printable)));
    }

    @Test
    void csr_attributesPresent_ignored() {
        org.bouncycastle.asn1.pkcs.Attribute challenge = new org.bouncycastle.asn1.pkcs.Attribute(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERSet(new DERPrintableString("x")));
        byte[] csr = Csrs.buildRaw(0, Csrs.cn(SN), Csrs.spki(device), new DERSet(challenge), device.getPrivate());
        EnrolmentRequest.verify(ap, RID, SN, Base64Url.encode(csr), EnrolmentRequest.proof(ap, RID, EnrolmentRequest.csrHash(csr)));
    }

    @Test
    void epk_notAP256Point_refusedByTheDevice() {
        byte[] good = P256.encodePoint((ECPublicKey) P256.generateKeyPair().getPublic());
        byte[] offCurve = good.clone();
        offCurve[64] ^= 1;
        byte[][] bad = {offCurve, P256Curve.validPoint(good).getEncoded(true), {0}, new byte[65], Arrays.copyOf(good, 64),
            Arrays.copyOf(good, 66), withFirstByte(good, (byte) 6), withFirstByte(good, (byte) 7)};
        String n = Base64Url.encode(new byte[12]);
        String c = Base64Url.encode(new byte[48]);
        for (byte[] epk : bad) {
            assertThrows(MalformedMessageException.class, () -> SealedInstanceSecret.parse(Base64Url.encode(epk), n, c));
            assertThrows(IllegalArgumentException.class, () -> P256.decodePoint(epk));
        }
        assertThrows(MalformedMessageException.class, () -> SealedInstanceSecret.parse(Base64Url.encode(good) + "=", n, c));
        assertThrows(MalformedMessageException.class, () -> SealedInstanceSecret.parse(Base64Url.encode(good), n + "A", c));
        assertThrows(MalformedMessageException.class, () -> SealedInstanceSecret.parse(Base64Url.encode(good), n,
                Base64Url.encode(new byte[47])));
        assertThrows(MalformedMessageException.class, () -> SealedInstanceSecret.parse(null, n, c));
        SealedInstanceSecret.parse(Base64Url.encode(good), n, c);
    }

    @Test
    void open_anythingDifferentFromWhatWasSealed_doesNotDecrypt() {
        EnrolmentRequest request = EnrolmentRequest.create(ap, RID, SN, device);
        VerifiedEnrolment verified = EnrolmentRequest.verify(ap, RID, SN, request.csrBase64url(), request.proof());
        SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, IID, OTP, Secret.random(32));
        byte[] c = Base64Url.decode(sealed.c());
        c[5] ^= 1;
        SealedInstanceSecret tampered = SealedInstanceSecret.parse(sealed.epk(), sealed.n(), Base64Url.encode(c));
        assertThrows(Aead.AeadException.class, () -> tampered.open(device.getPrivate(), request.csr(), RID, IID, OTP));
        SealedInstanceSecret otherEpk = SealedInstanceSecret.parse(Base64Url.encode(P256.encodePoint(
                (ECPublicKey) P256.generateKeyPair().getPublic())), sealed.n(), sealed.c());
        assertThrows(Aead.AeadException.class, () -> otherEpk.open(device.getPrivate(), request.csr(), RID, IID, OTP));
        assertThrows(Aead.AeadException.class, () -> sealed.open(P256.generateKeyPair().getPrivate(), request.csr(), RID, IID, OTP));
        assertThrows(Aead.AeadException.class, () -> sealed.open(device.getPrivate(), EnrolmentRequest.create(ap, RID, SN, device).csr(),
                RID, IID, OTP));
        assertThrows(Aead.AeadException.class, () -> sealed.open(device.getPrivate(), request.csr(), "reg-2", IID, OTP));
        assertThrows(Aead.AeadException.class, () -> sealed.open(device.getPrivate(), request.csr(), RID, "inst-2", OTP));
        assertThrows(Aead.AeadException.class, () -> sealed.open(device.getPrivate(), request.csr(), RID, IID, OtpPolicy.parse("totp:sha1:6:60")));
    }

    @Test
    void confirmation_wrongCodeOrSignature_refused() {
        EnrolmentRequest request = EnrolmentRequest.create(ap, RID, SN, device);
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        String code = OnlineConfirmation.code(keys, RID, IID, request.h());
        String other = String.format("%08d", (Integer.parseInt(code) + 1) % 100_000_000);
        assertThrows(InvalidCodeException.class, () -> OnlineConfirmation.verifyCode(keys, RID, IID, request.h(), other));
        assertThrows(InvalidCodeException.class, () -> OnlineConfirmation.verifyCode(keys, RID, "inst-2", request.h(), code));
        assertThrows(InvalidCodeException.class, () -> OnlineConfirmation.verifyCode(InstanceKeys.of(Secret.random(32)), RID, IID,
                request.h(), code));
        assertThrows(InvalidCodeException.class, () -> OnlineConfirmation.verifyCode(keys, RID, IID, request.h(), code + " "));
        assertThrows(InvalidCodeException.class, () -> OnlineConfirmation.verifyCode(keys, RID, IID, request.h(), null));

        String signature = OnlineConfirmation.sign(device.getPrivate(), RID, IID, code);
        OnlineConfirmation.verifySignature(key, RID, IID, code, signature);
        byte[] der = Base64Url.decode(signature);
        BigInteger[] rs = Ecdsa.decodeDer(der);
        String[] bad = {
            OnlineConfirmation.sign(device.getPrivate(), RID, IID, other),
            OnlineConfirmation.sign(P256.generateKeyPair().getPrivate(), RID, IID, code),
            Base64Url.encode(Arrays.copyOf(der, der.length + 1)),
            Base64Url.encode(longFormLength(der)),
            Base64Url.encode(concat(P256Curve.fixed32(rs[0]), P256Curve.fixed32(rs[1]))),
            Base64Url.encode(Ecdsa.encodeDer(rs[0], rs[1].negate())),
            Base64Url.encode(Ecdsa.encodeDer(rs[0].add(P256Curve.order()), rs[1])),
            Base64Url.encode(Ecdsa.encodeDer(BigInteger.ZERO, rs[1])),
            signature + "=", signature.replace('-', '+').replace('_', '/') + "+", "", null,
        };
        for (String s : bad) {
            assertThrows(InvalidSignatureException.class, () -> OnlineConfirmation.verifySignature(key, RID, IID, code, s), s);
        }
        assertThrows(InvalidSignatureException.class, () -> OnlineConfirmation.verifySignature(key, RID, IID, other, signature));
        assertThrows(InvalidSignatureException.class, () -> OnlineConfirmation.verifySignature(key, RID, IID, "1234567", signature));
        // Malleability is accepted on purpose (docs/protocol.md, "Choices"): s and n - s both verify.
        OnlineConfirmation.verifySignature(key, RID, IID, code, Base64Url.encode(Ecdsa.encodeDer(rs[0], P256Curve.order().subtract(rs[1]))));
    }

    /** The same signature with a needless long-form length: BER, not DER. */
    private static byte[] longFormLength(byte[] der) {
        byte[] out = new byte[der.length + 1];
        out[0] = 0x30;
        out[1] = (byte) 0x81;
        System.arraycopy(der, 1, out, 2, der.length - 1);
        return out;
    }

    private static byte[] withFirstByte(byte[] point, byte first) {
        byte[] out = point.clone();
        out[0] = first;
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
