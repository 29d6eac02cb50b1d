package org.countersign.provisioning.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The internal CA, as started from configuration (libs/testing generates a CA and seals its key the
 * way ./countersign up does). What it issues is checked with the JDK's own PKIX validator, which knows
 * nothing of our code.
 */
@QuarkusTest
class DeviceCertificateAuthorityTest {

    @Inject
    DeviceCertificateAuthority ca;

    @Test
    void issued_chainsToTheCa_withStandardPkix_andSaysWhatItIsFor() throws Exception {
        KeyPair device = p256();
        Instant now = Instant.now();
        DeviceCertificateAuthority.Issued issued = ca.issue("SN-0001", device.getPublic(), now);
        X509Certificate certificate = issued.certificate();
        X509Certificate caCertificate = parse(ca.caCertificate());

        validate(certificate, caCertificate, now.plusSeconds(5));

        assertEquals("CN=SN-0001", certificate.getSubjectX500Principal().getName());
        assertEquals(caCertificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        assertArrayEquals(device.getPublic().getEncoded(), certificate.getPublicKey().getEncoded());
        assertEquals(-1, certificate.getBasicConstraints(), "CA:false");
        assertTrue(certificate.getCriticalExtensionOIDs().containsAll(Set.of(Extension.basicConstraints.getId(),
                Extension.keyUsage.getId())));
        boolean[] usage = certificate.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        for (int i = 1; i < usage.length; i++) {
            assertFalse(usage[i], "no other key usage than digitalSignature: bit " + i);
        }
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage(), "clientAuth only");
        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierObject().getOctets();
        byte[] caSki = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                caCertificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        assertTrue(ski.length > 0);
        assertArrayEquals(caSki, aki, "the authority key identifier names the CA's key");

        BigInteger serial = certificate.getSerialNumber();
        assertEquals(1, serial.signum(), "positive");
        assertTrue(serial.bitLength() <= 128 && serial.bitLength() > 64, "a random 128-bit serial: " + serial.bitLength());
        assertEquals(serial.toString(16), issued.serial());
        assertNotEquals(issued.serial(), ca.issue("SN-0001", device.getPublic(), now).serial(), "each serial is drawn anew");

        Instant notAfter = certificate.getNotAfter().toInstant();
        assertEquals(issued.notAfter(), notAfter);
        assertEquals(now.plus(Duration.ofDays(365)).getEpochSecond(), notAfter.getEpochSecond(), "a year by default");
        assertTrue(certificate.getNotBefore().toInstant().isBefore(now), "valid from a little before now");
    }

    @Test
    void certificateOfAnotherCa_isRefusedByPkix() throws Exception {
        KeyPair other = p256();
        X500Name name = new X500Name("CN=Countersign development device CA");
        Instant now = Instant.now();
        X509Certificate forged = parse(new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), new X500Name("CN=SN-0001"), p256().getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate())).getEncoded());

        assertThrows(CertPathValidatorException.class, () -> validate(forged, parse(ca.caCertificate()), now),
                "same issuer name, another key: the signature does not verify");
        DeviceCertificateAuthority.Issued ours = ca.issue("SN-0001", p256().getPublic(), now);
        assertThrows(CertPathValidatorException.class, () -> validate(ours.certificate(), forgedCa(other, name), now),
                "ours does not chain to another CA");
        assertThrows(CertPathValidatorException.class, () -> validate(ours.certificate(), parse(ca.caCertificate()),
                ours.notAfter().plusSeconds(1)), "not after its expiry");
    }

    private static X509Certificate forgedCa(KeyPair keys, X500Name name) throws Exception {
        Instant now = Instant.now();
        return parse(new JcaX509v3CertificateBuilder(name, BigInteger.TWO, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(86400L * 800)), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded());
    }

    /** The JDK's PKIX validation with the CA as the only trust anchor, revocation checking off. */
    private static void validate(X509Certificate certificate, X509Certificate trusted, Instant at) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate));
        Set<TrustAnchor> anchors = new HashSet<>(Set.of(new TrustAnchor(trusted, null)));
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
