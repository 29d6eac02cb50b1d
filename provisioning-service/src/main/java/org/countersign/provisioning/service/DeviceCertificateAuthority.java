package org.countersign.provisioning.service;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.countersign.events.AtRestSealer;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * The internal CA: it issues each online device an X.509 certificate for its P-256 key, subject
 * {@code CN=<serial number>}, for client authentication only. Its key comes from configuration,
 * sealed under the service's at-rest keys like every secret this service keeps, and is opened once,
 * at start; a key that does not open, or that does not match its certificate, stops the service
 * rather than failing the first device. Without a CA configured the service runs, and online
 * activation answers 503. Issuing signs with ECDSA: callers run it off the event loop.
 */
@Startup
@ApplicationScoped
public class DeviceCertificateAuthority {

    /** What the CA key is sealed for, at rest: the purpose ca-key, and the one device CA of this service. */
    public static final Binding CA_KEY = Binding.of("ca-key", "device-ca");
    /** A device's clock may lag ours: its certificate is valid from a little before it was issued (protocol.md's skew). */
    static final Duration BACKDATE = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(DeviceCertificateAuthority.class);

    /** What was issued: the certificate, and what the instance keeps of it. */
    public record Issued(X509Certificate certificate, byte[] der, String serial, Instant notAfter) {
    }

    private final Duration validity;
    private final PrivateKey key;
    private final X509Certificate certificate;

    public DeviceCertificateAuthority(ProvisioningConfig config, AtRestSealer sealer) {
        this.validity = config.ca().deviceCertificateValidity();
        if (config.ca().key().isEmpty() || config.ca().certificate().isEmpty()) {
            LOG.warn("No device CA is configured (countersign.provisioning.ca.key and .certificate): online activation"
                    + " answers 503 until one is");
            this.key = null;
            this.certificate = null;
            return;
        }
        this.certificate = parseCertificate(config.ca().certificate().get());
        this.key = openKey(config.ca().key().get(), sealer);
        requireMatch(key, certificate);
        LOG.infof("Device CA %s loaded, valid until %s", certificate.getSubjectX500Principal().getName(),
                certificate.getNotAfter().toInstant());
    }

    /** The CA certificate, DER: what devices are given to check their own. */
    public byte[] caCertificate() {
        requireAvailable(Instant.EPOCH);
        try {
            return certificate.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalStateException("The CA certificate was parsed, so it encodes", e);
        }
    }

    /**
     * A certificate for the device's key: subject CN=&lt;serial number&gt;, a random positive 128-bit
     * serial, CA:false, digitalSignature, clientAuth, subject and authority key identifiers,
     * SHA256withECDSA; valid from now (less a minute of skew) for the configured time, and never
     * beyond the CA's own certificate. CPU-bound: call it off the event loop.
     */
    public Issued issue(String serialNumber, PublicKey deviceKey, Instant now) {
        requireAvailable(now);
        try {
            BigInteger serial = new BigInteger(1, Randomness.bytes(16));
            if (serial.signum() == 0) {
                serial = BigInteger.ONE;
            }
            Instant notAfter = min(now.plus(validity), certificate.getNotAfter().toInstant());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial, Date.from(now.minus(BACKDATE)),
                    Date.from(notAfter), new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, serialNumber).build(), deviceKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(deviceKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            byte[] der = builder.build(signer).getEncoded();
            X509Certificate issued = parseDer(der);
            return new Issued(issued, der, serial.toString(16), issued.getNotAfter().toInstant());
        } catch (Exception e) {
            throw new IllegalStateException("The device CA could not issue a certificate: " + e.getClass().getSimpleName(), e);
        }
    }

    /** @throws ProblemException device-ca-unavailable when there is no CA, or its certificate has expired */
    public void requireAvailable(Instant now) {
        if (key == null) {
            throw new ProblemException(ProvisioningProblem.DEVICE_CA_UNAVAILABLE,
                    "Online activation is not configured on this deployment: it has no device CA");
        }
        if (!now.isBefore(certificate.getNotAfter().toInstant())) {
            throw new ProblemException(ProvisioningProblem.DEVICE_CA_UNAVAILABLE,
                    "The device CA's certificate has expired: online activation waits for a new one");
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** PEM, or the base64 of the DER: both are base64 once the PEM lines and white space are gone. */
    static X509Certificate parseCertificate(String text) {
        String base64 = text.replaceAll("-----(BEGIN|END) CERTIFICATE-----", "").replaceAll("\\s", "");
        X509Certificate parsed;
        try {
            parsed = parseDer(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new IllegalStateException("countersign.provisioning.ca.certificate is not a certificate (PEM or base64 DER)");
        }
        if (parsed.getBasicConstraints() < 0) {
            throw new IllegalStateException("countersign.provisioning.ca.certificate is not a CA certificate (basicConstraints)");
        }
        if (!(parsed.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalStateException("countersign.provisioning.ca.certificate must hold a P-256 key");
        }
        return parsed;
    }

    private static X509Certificate parseDer(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** Opens the sealed PKCS#8 once; the clear bytes are wiped as soon as the key object exists. */
    private static PrivateKey openKey(String sealed, AtRestSealer sealer) {
        Secret pkcs8;
        try {
            pkcs8 = sealer.open(SealedValue.parse(sealed.trim()), CA_KEY);
        } catch (RuntimeException e) {
            throw new IllegalStateException("countersign.provisioning.ca.key does not open with this service's at-rest keys"
                    + " for the purpose " + CA_KEY.purpose() + " and the owner " + CA_KEY.owner() + " ("
                    + (e instanceof SealedValue.RetiredFormatException ? e.getMessage() : e.getClass().getSimpleName()) + ")");
        }
        byte[] bytes = pkcs8.reveal();
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("countersign.provisioning.ca.key is not a PKCS#8 EC private key");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            pkcs8.destroy();
        }
    }

    /** The key must be the certificate's: a signature made with one verifies with the other. */
    private static void requireMatch(PrivateKey key, X509Certificate certificate) {
        try {
            byte[] probe = "countersign/v1/ca-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("countersign.provisioning.ca.key is not the key of countersign.provisioning.ca.certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("countersign.provisioning.ca.key cannot sign (" + e.getClass().getSimpleName() + ")");
        }
    }
}
