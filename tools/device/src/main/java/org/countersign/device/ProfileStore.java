package org.countersign.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * The simulated device's memory: its profiles, in one JSON file. Its secrets (a pending profile's
 * activation password, the device code, an active profile's instance secret, an online profile's
 * private key) are sealed with AES-256-GCM under the key in a sibling file, {@code profiles.json.key}
 * ({@link ProfileKey}), made at the first write: the profile file alone gives none of them away.
 * Both are created with permissions 600 in a directory created 700; the profile file is replaced
 * atomically (written to a temporary file in the same directory, then renamed) so that a crash
 * never leaves half a file. A file of version 1 (secrets in base64) is read and rewritten sealed.
 * Changes hold an exclusive lock on a sibling {@code .lock} file, so two commands at once (say, two
 * HOTP codes) never lose an update. Reading takes no lock: a reader sees the old file or the new
 * one, whole.
 *
 * <p>The default file is {@code $COUNTERSIGN_DATA_DIR/device/profiles.json}, or
 * {@code ./.countersign/device/profiles.json} when the variable is not set.
 *
 * <p>{@link #inMemory()} keeps the profiles in this process only, for a load generator that plays many
 * devices at once: a real device's storage costs the device, not the machine that serves it.
 */
public final class ProfileStore {

    /** The file format written; version 1 (secrets in base64, before profiles.json.key) is still read, and rewritten at once. */
    static final int VERSION = 2;
    private static final int CLEAR_SECRETS_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    /** One monitor per file in this JVM: a FileLock guards against other processes only. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path keyFile;
    private final Object monitor;
    /** The profiles of a store {@link #inMemory()}; null for a store in a file. Replaced whole, under the monitor. */
    private volatile Map<String, Profile> memory;

    public ProfileStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.keyFile = ProfileKey.fileFor(this.file);
        this.monitor = MONITORS.computeIfAbsent(this.file, f -> new Object());
    }

    private ProfileStore() {
        this.file = null;
        this.keyFile = null;
        this.monitor = new Object();
        this.memory = Map.of();
    }

    /** A store of this process only: nothing is written, and its profiles end with it. */
    public static ProfileStore inMemory() {
        return new ProfileStore();
    }

    /** The store at {@link #defaultFile}, from this process's environment. */
    public static ProfileStore atDefaultLocation() {
        return new ProfileStore(defaultFile(System.getenv()));
    }

    /** {@code $COUNTERSIGN_DATA_DIR/device/profiles.json}, else {@code ./.countersign/device/profiles.json}. */
    public static Path defaultFile(Map<String, String> env) {
        String dataDir = env.get("COUNTERSIGN_DATA_DIR");
        Path base = dataDir == null || dataDir.isBlank() ? Path.of(".countersign") : Path.of(dataDir);
        return base.resolve("device").resolve("profiles.json").toAbsolutePath().normalize();
    }

    /** The profile file; null for a store {@link #inMemory()}. */
    public Path file() {
        return file;
    }

    /** The key file beside the profile file: the key that seals every secret in it; null for a store {@link #inMemory()}. */
    public Path keyFile() {
        return keyFile;
    }

    /** Every profile, in the order they were first stored. */
    public List<Profile> list() {
        return List.copyOf(current().values());
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    /** @return whether there was such a profile */
    public boolean remove(String name) {
        return update(profiles -> profiles.remove(name) != null);
    }

    /** Adds or replaces the profile of that name. */
    void put(Profile profile) {
        update(profiles -> profiles.put(profile.name(), profile));
    }

    /**
     * Reads the profiles, lets {@code change} look at and change them (by name, in order), and
     * writes them back, all under the lock.
     */
    <T> T update(Function<Map<String, Profile>, T> change) {
        synchronized (monitor) {
            if (file == null) {
                Map<String, Profile> profiles = new LinkedHashMap<>(memory);
                T result = change.apply(profiles);
                memory = profiles;
                return result;
            }
            return updateLocked(change);
        }
    }

    /** The profiles; a file of version 1, whose secrets are in base64, is sealed and rewritten first. */
    private Map<String, Profile> current() {
        if (file == null) {
            return new LinkedHashMap<>(memory);
        }
        Contents contents = read();
        if (contents.version() == CLEAR_SECRETS_VERSION) {
            return update(profiles -> new LinkedHashMap<>(profiles));
        }
        return contents.profiles();
    }

    private <T> T updateLocked(Function<Map<String, Profile>, T> change) {
        try {
            createDirectory();
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    fileAttributes());
                 FileLock lock = channel.lock()) {
                Contents contents = read();
                Map<String, Profile> profiles = contents.profiles();
                Map<String, Profile> before = new LinkedHashMap<>(profiles);
                T result = change.apply(profiles);
                // Profiles are immutable and compared by identity: any put or remove is a change.
                if (!before.equals(profiles) || contents.version() != VERSION) {
                    write(profiles);
                }
                return result;
            }
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.STORE, "Cannot write the profile file " + file + ": " + e.getMessage(), e);
        }
    }

    private record Contents(int version, Map<String, Profile> profiles) {
    }

    private Contents read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Contents(VERSION, new LinkedHashMap<>());
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.STORE, "Cannot read the profile file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root;
            int version;
            try {
                root = JSON.readTree(bytes);
                version = version(root);
            } catch (IOException | RuntimeException e) {
                throw damaged(e);
            }
            ProfileKey key = null;
            if (version != CLEAR_SECRETS_VERSION) {
                try {
                    key = ProfileKey.read(keyFile);
                } catch (IOException e) {
                    throw new DeviceException(DeviceException.Kind.STORE, "Cannot read the key file: " + e.getMessage()
                            + "; the secrets in " + file + " cannot be opened without it", e);
                }
                if (key == null) {
                    throw new DeviceException(DeviceException.Kind.STORE, "The key file " + keyFile + " is missing, so the "
                            + "secrets in " + file + " cannot be opened; restore it, or delete " + file + " to start afresh");
                }
            }
            try {
                return new Contents(version, fromJson(root, new Secrets(key, version == CLEAR_SECRETS_VERSION)));
            } catch (RuntimeException e) {
                throw damaged(e);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private DeviceException damaged(Exception e) {
        return new DeviceException(DeviceException.Kind.STORE, "The profile file " + file
                + " is damaged (" + reason(e) + "); fix it, or delete it to start afresh", e);
    }

    private void write(Map<String, Profile> profiles) throws IOException {
        ProfileKey key = ProfileKey.read(keyFile);
        if (key == null) {
            byte[] keyBytes = ProfileKey.newKeyFile();
            try {
                // The key reaches the disk before any secret sealed under it does.
                writeAtomically(keyFile, keyBytes, false);
            } finally {
                Arrays.fill(keyBytes, (byte) 0);
            }
            key = ProfileKey.read(keyFile);
        }
        byte[] bytes = JSON.writeValueAsBytes(toJson(profiles, key));
        try {
            writeAtomically(file, bytes, true);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Writes {@code bytes} to a private temporary file beside {@code target}, forces it to disk, and renames it. */
    private static void writeAtomically(Path target, byte[] bytes, boolean replace) throws IOException {
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial", fileAttributes());
        try {
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            if (!replace) {
                // Never over an existing file (the lock keeps our own processes out meanwhile).
                Files.move(partial, target);
                return;
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void createDirectory() throws IOException {
        Path directory = file.getParent();
        if (!Files.isDirectory(directory)) {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } else {
                Files.createDirectories(directory);
            }
        }
    }

    private static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static String reason(Exception e) {
        if (e instanceof JsonProcessingException json) {
            return "not JSON: " + json.getOriginalMessage();
        }
        return e.getMessage();
    }

    // ---- the file format, version 2 ----

    private static int version(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION && version != CLEAR_SECRETS_VERSION) {
            throw new IllegalArgumentException("version " + root.path("version") + ", this simulator reads versions "
                    + CLEAR_SECRETS_VERSION + " and " + VERSION);
        }
        return version;
    }

    private static ObjectNode toJson(Map<String, Profile> profiles, ProfileKey key) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("note", "Countersign device simulator profiles. Every secret is sealed with the key in "
                + "profiles.json.key: keep both files private (mode 600), and never share the key file.");
        ArrayNode array = root.putArray("profiles");
        for (Profile p : profiles.values()) {
            ObjectNode node = array.addObject();
            String name = p.name();
            node.put("name", name);
            node.put("state", p.state().name().toLowerCase(Locale.ROOT));
            node.put("sn", p.sn());
            node.put("rid", p.rid());
            if (p.issuer() != null) {
                node.put("issuer", p.issuer());
            }
            if (p.account() != null) {
                node.put("account", p.account());
            }
            if (p.deviceCode() != null) {
                node.put("dn", sealed(key, name, "dn", p.deviceCode().dn()));
            }
            node.put("createdAt", p.createdAt().toString());
            if (p.state() == Profile.State.PENDING) {
                node.put("ap", key.seal(p.ap(), name, "ap"));
                continue;
            }
            node.put("iid", p.iid());
            node.put("otp", p.otp().format());
            node.put("hotpCounter", p.hotpCounter());
            node.put("instanceSecret", key.seal(p.instanceSecret(), name, "instanceSecret"));
            if (p.activatedAt() != null) {
                node.put("activatedAt", p.activatedAt().toString());
            }
            if (p.online() != null) {
                node.set("online", toJson(p.online(), name, key));
            }
        }
        return root;
    }

    private static ObjectNode toJson(OnlineIdentity online, String name, ProfileKey key) {
        ObjectNode node = JSON.createObjectNode();
        node.put("rid", online.registrationId());
        node.put("url", online.baseUrl());
        node.put("platform", online.platform());
        if (online.pushToken() != null) {
            node.put("pushToken", online.pushToken());
        }
        if (online.deviceName() != null) {
            node.put("deviceName", online.deviceName());
        }
        node.put("biometric", online.biometric());
        node.put("certificate", B64.encodeToString(online.certificateDer()));
        node.put("caCertificate", B64.encodeToString(online.caCertificateDer()));
        if (online.pushChannel() != null) {
            node.put("pushChannel", online.pushChannel());
        }
        node.put("h", online.csrHash());
        node.put("privateKey", sealed(key, name, "privateKey", online.privateKey().getEncoded()));
        node.put("enrolledAt", online.enrolledAt().toString());
        if (online.confirmedAt() != null) {
            node.put("confirmedAt", online.confirmedAt().toString());
        }
        return node;
    }

    private static Map<String, Profile> fromJson(JsonNode root, Secrets secrets) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (JsonNode node : root.path("profiles")) {
            String name = text(node, "name");
            Profile.State state = switch (text(node, "state")) {
                case "pending" -> Profile.State.PENDING;
                case "enrolling" -> Profile.State.ENROLLING;
                case "active" -> Profile.State.ACTIVE;
                default -> throw new IllegalArgumentException("a profile's state is neither pending, enrolling nor active");
            };
            DeviceCode dc = null;
            if (node.has("dn") || state == Profile.State.PENDING) {
                Secret dn = secrets.open(node, name, "dn");
                byte[] raw = dn.reveal();
                try {
                    dc = DeviceCode.ofDn(raw);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                    dn.destroy();
                }
            }
            Instant created = Instant.parse(text(node, "createdAt"));
            Profile profile;
            if (state == Profile.State.PENDING) {
                profile = Profile.pending(name, text(node, "sn"), text(node, "rid"), optional(node, "issuer"),
                        optional(node, "account"), secrets.open(node, name, "ap"), dc, created);
            } else {
                JsonNode online = node.get("online");
                String activatedAt = optional(node, "activatedAt");
                profile = new Profile(name, state, text(node, "sn"), text(node, "rid"), optional(node, "issuer"),
                        optional(node, "account"), null, dc, text(node, "iid"), OtpPolicy.parse(text(node, "otp")),
                        secrets.open(node, name, "instanceSecret"), node.path("hotpCounter").asLong(0), created,
                        activatedAt == null ? null : Instant.parse(activatedAt),
                        online == null || online.isNull() ? null : onlineFromJson(online, name, secrets));
            }
            if (profiles.put(profile.name(), profile) != null) {
                throw new IllegalArgumentException("two profiles are named " + profile.name());
            }
        }
        return profiles;
    }

    private static OnlineIdentity onlineFromJson(JsonNode node, String name, Secrets secrets) {
        Secret pkcs8 = secrets.open(node, name, "privateKey");
        PrivateKey privateKey;
        byte[] bytes = pkcs8.reveal();
        try {
            privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key of profile " + name + " is not a PKCS#8 EC key");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            pkcs8.destroy();
        }
        String confirmedAt = optional(node, "confirmedAt");
        return new OnlineIdentity(text(node, "rid"), text(node, "url"), text(node, "platform"), optional(node, "pushToken"),
                optional(node, "deviceName"), node.path("biometric").asBoolean(false), B64D.decode(text(node, "certificate")),
                B64D.decode(text(node, "caCertificate")), optional(node, "pushChannel"), text(node, "h"), privateKey,
                Instant.parse(text(node, "enrolledAt")), confirmedAt == null ? null : Instant.parse(confirmedAt));
    }

    /** Reads the secrets of a profile: sealed under the key file (version 2), or base64 (version 1). */
    private record Secrets(ProfileKey key, boolean clear) {
        Secret open(JsonNode node, String profile, String field) {
            String text = text(node, field);
            if (!clear) {
                return key.open(text, profile, field);
            }
            byte[] bytes = B64D.decode(text);
            try {
                return Secret.copyOf(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static String sealed(ProfileKey key, String profile, String field, byte[] bytes) {
        Secret secret = Secret.copyOf(bytes);
        try {
            return key.seal(secret, profile, field);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            secret.destroy();
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a profile has no " + name);
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    @Override
    public String toString() {
        return "ProfileStore[" + file + "]";
    }
}
