package org.countersign.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The development token-signing key pair: generated on first start into the data directory (never
 * into the repository), then reused. Services verify tokens with the public half; ./countersign
 * token and the tests sign with the private half.
 */
public final class DevKeys {

    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";
    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
    public static final String TRANSPORT_KEY_FILE = "transport.key";
    public static final String TRANSPORT_KEY_ID = "dev";

    private final Path dir;

    private DevKeys(Path dir) {
        this.dir = dir;
    }

    /** The key pair in {@code dir}, generated there if it does not exist yet. */
    public static DevKeys in(Path dir) {
        DevKeys keys = new DevKeys(dir);
        if (!Files.exists(keys.publicKey()) || !Files.exists(keys.privateKeyFile())) {
            keys.generate();
        }
        return keys;
    }

    public Path publicKey() {
        return dir.resolve(PUBLIC_KEY_FILE);
    }

    private Path privateKeyFile() {
        return dir.resolve(PRIVATE_KEY_FILE);
    }

    public PrivateKey privateKey() {
        try {
            String pem = Files.readString(privateKeyFile(), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new StackException("Cannot read the development signing key " + privateKeyFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The development transport key that seals secrets on internal topics, as the services read it:
     * {@code dev:<base64 of 32 random bytes>}. Generated on first use and kept with the other keys.
     */
    public synchronized String transportKey() {
        Path file = dir.resolve(TRANSPORT_KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.createDirectories(dir);
                write(file, TRANSPORT_KEY_ID + ":" + Base64.getEncoder().encodeToString(key) + "\n", "rw-------");
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new StackException("Cannot create the development transport key in " + dir + ": " + e.getMessage(), e);
        }
    }

    private synchronized void generate() {
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            write(privateKeyFile(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
            write(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
        } catch (IOException | GeneralSecurityException e) {
            throw new StackException("Cannot create the development signing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        write(file, content.getBytes(StandardCharsets.US_ASCII), permissions);
    }

    /** Writes a key file whole or not at all, with its permissions set before it appears. */
    static void write(Path file, byte[] content, String permissions) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, content);
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString(permissions));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
