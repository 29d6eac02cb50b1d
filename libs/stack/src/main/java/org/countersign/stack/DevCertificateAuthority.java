package org.countersign.stack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.Secret;

/**
 * The provisioning-service's development CA, which issues device certificates on a laptop and in
 * tests: a P-256 key and a self-signed CA certificate, generated on first use into the keys
 * directory (never into the repository), then reused, so devices activated yesterday keep a
 * certificate that chains to today's CA. The key file is the clear PKCS#8, readable by its owner only,
 * like the development token key; whoever starts a service seals it under that service's at-rest key.
 */
public final class DevCertificateAuthority {

    public static final String KEY_FILE = "device-ca-key.pk8";
    public static final String CERTIFICATE_FILE = "device-ca.pem";
    static final String SUBJECT = "CN=Countersign development device CA";
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Binding CA_KEY_AT_REST = Binding.of("ca-key", "device-ca").within("at-rest/");

    private final Path dir;

    private DevCertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /** The CA in {@code dir}, generated there if it does not exist yet. */
    public static synchronized DevCertificateAuthority in(Path dir) {
        DevCertificateAuthority ca = new DevCertificateAuthority(dir);
        if (!Files.exists(ca.keyFile()) || !Files.exists(ca.certificateFile())) {
            ca.generate();
        }
        return ca;
    }

    /** The CA's private key, PKCS#8 DER. */
    public byte[] privateKeyPkcs8() {
        try {
            return Files.readAllBytes(keyFile());
        } catch (IOException e) {
            throw new StackException("Cannot read the development CA key " + keyFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CA's private key sealed as the provisioning-service's AtRestSealer opens it: under that
     * service's at-rest key ring, for the purpose {@code at-rest/ca-key} and the owner {@code device-ca}
     * (its {@code DeviceCertificateAuthority.CA_KEY}); the value of {@code countersign.provisioning.ca.key}.
     */
    public String sealedPrivateKey(Keyring provisioningAtRestKeys) {
        byte[] pkcs8 = privateKeyPkcs8();
        Secret key = Secret.copyOf(pkcs8);
        try {
            return provisioningAtRestKeys.seal(key, CA_KEY_AT_REST).toText();
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            key.destroy();
        }
    }

    /** The CA certificate, PEM. */
    public String certificatePem() {
        try {
            return Files.readString(certificateFile(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StackException("Cannot read the development CA certificate " + certificateFile() + ": " + e.getMessage(), e);
        }
    }

    /** A random 128-bit positive serial number (RFC 5280 allows up to 20 octets). */
    private static BigInteger serial() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return new BigInteger(1, bytes);
    }

    private Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    private Path certificateFile() {
        return dir.resolve(CERTIFICATE_FILE);
    }

    private void generate() {
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name(SUBJECT);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    serial(), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
            DevKeys.write(keyFile(), pair.getPrivate().getEncoded(), "rw-------");
            DevKeys.write(certificateFile(), DevKeys.pem("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new StackException("Cannot create the development CA in " + dir + ": " + e.getMessage(), e);
        }
    }
}
