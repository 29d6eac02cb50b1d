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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.RecipientKeyring;

/**
 * The development keys: the token-signing key pair, and each service's sealing keys (its at-rest key,
 * and for a service that receives sealed values its X25519 key pair). Generated on first start into
 * the data directory (never into the repository), then reused. Services verify tokens with the public
 * half; ./countersign token and the tests sign with the private half.
 */
public final class DevKeys {

    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";
    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
    /** Where each service's development sealing keys are kept, beside the token keys. */
    public static final String SEALING_DIR = "sealing";

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
     * The services that receive sealed values on internal topics (the event payloads' {@code SEALED_FOR}):
     * each has its own key pair, and the services that seal for it are given its public key.
     */
    public static final List<String> RECIPIENTS = List.of("provisioning", "otp");

    /** The id of a service's development sealing keys, e.g. {@code otp-dev}. */
    public static String keyId(String service) {
        return service + "-dev";
    }

    /**
     * The development X25519 private key of {@code service} (e.g. {@code otp}) in the form the service reads
     * ({@code kid:base64}, libs/secrets {@code RecipientKeyring}): what it opens the secrets sealed for it with.
     * Generated on first use and kept with the other keys.
     */
    public String privateKeys(String service) {
        return keyFile(service + ".private-keys", () -> RecipientKeyring.generateKeyText(keyId(service)));
    }

    /** The public half of {@link #privateKeys}, {@code kid:base64}: what the services that seal for {@code service} are given. */
    public String publicKey(String service) {
        return RecipientKeyring.parse(privateKeys(service)).publicKeyText(keyId(service));
    }

    /** The development at-rest key of {@code service}, {@code kid:base64} of 32 random bytes (libs/secrets {@code Keyring}). */
    public String atRestKeys(String service) {
        return keyFile(service + ".at-rest-keys", () -> Keyring.generateKeyText(keyId(service)));
    }

    /**
     * The sealing configuration of {@code service} with these keys, as properties: its at-rest key, its private
     * key when it receives sealed values, and the public key of every other service that does.
     */
    public Map<String, String> sealingConfiguration(String service) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("countersign.events.sealing.at-rest-keys", atRestKeys(service));
        if (RECIPIENTS.contains(service)) {
            config.put("countersign.events.sealing.private-keys", privateKeys(service));
        }
        for (String recipient : RECIPIENTS) {
            if (!recipient.equals(service)) {
                config.put("countersign.events.sealing.recipients." + recipient, publicKey(recipient));
            }
        }
        return config;
    }

    private synchronized String keyFile(String name, Supplier<String> generate) {
        Path file = dir.resolve(SEALING_DIR).resolve(name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                write(file, generate.get() + "\n", "rw-------");
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new StackException("Cannot create the development sealing key " + file + ": " + e.getMessage(), e);
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
