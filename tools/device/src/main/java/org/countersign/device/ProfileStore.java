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
import org.countersign.protocol.Secret;

/**
 * The simulated device's memory: its profiles, in one JSON file. The file holds secrets (each
 * pending profile's activation password, each active profile's instance secret), so it is created
 * with permissions 600 in a directory created 700, and replaced atomically (written to a temporary
 * file in the same directory, then renamed) so that a crash never leaves half a file. Changes hold
 * an exclusive lock on a sibling {@code .lock} file, so two commands at once (say, two HOTP codes)
 * never lose an update. Reading takes no lock: a reader sees the old file or the new one, whole.
 *
 * <p>The default file is {@code $COUNTERSIGN_DATA_DIR/device/profiles.json}, or
 * {@code ./.countersign/device/profiles.json} when the variable is not set.
 */
public final class ProfileStore {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    /** One monitor per file in this JVM: a FileLock guards against other processes only. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Object monitor;

    public ProfileStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.monitor = MONITORS.computeIfAbsent(this.file, f -> new Object());
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

    public Path file() {
        return file;
    }

    /** Every profile, in the order they were first stored. */
    public List<Profile> list() {
        return List.copyOf(read().values());
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(read().get(name));
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
            return updateLocked(change);
        }
    }

    private <T> T updateLocked(Function<Map<String, Profile>, T> change) {
        try {
            createDirectory();
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    fileAttributes());
                 FileLock lock = channel.lock()) {
                Map<String, Profile> profiles = read();
                Map<String, Profile> before = new LinkedHashMap<>(profiles);
                T result = change.apply(profiles);
                // Profiles are immutable and compared by identity: any put or remove is a change.
                if (!before.equals(profiles)) {
                    write(profiles);
                }
                return result;
            }
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.STORE, "Cannot write the profile file " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Profile> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.STORE, "Cannot read the profile file " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new DeviceException(DeviceException.Kind.STORE, "The profile file " + file
                    + " is damaged (" + reason(e) + "); fix it, or delete it to start afresh", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private void write(Map<String, Profile> profiles) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(toJson(profiles));
        Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".partial", fileAttributes());
        try {
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
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

    // ---- the file format, version 1 ----

    private static ObjectNode toJson(Map<String, Profile> profiles) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("note", "Countersign device simulator profiles. Holds secrets: keep this file private (mode 600).");
        ArrayNode array = root.putArray("profiles");
        for (Profile p : profiles.values()) {
            ObjectNode node = array.addObject();
            node.put("name", p.name());
            node.put("state", p.state().name().toLowerCase(Locale.ROOT));
            node.put("sn", p.sn());
            node.put("rid", p.rid());
            if (p.issuer() != null) {
                node.put("issuer", p.issuer());
            }
            if (p.account() != null) {
                node.put("account", p.account());
            }
            node.put("dn", B64.encodeToString(p.deviceCode().dn()));
            node.put("createdAt", p.createdAt().toString());
            if (p.isActive()) {
                node.put("iid", p.iid());
                node.put("otp", p.otp().format());
                node.put("hotpCounter", p.hotpCounter());
                node.put("instanceSecret", reveal(p.instanceSecret()));
                node.put("activatedAt", p.activatedAt().toString());
            } else {
                node.put("ap", reveal(p.ap()));
            }
        }
        return root;
    }

    private static Map<String, Profile> fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("version " + root.path("version") + ", this simulator reads version " + VERSION);
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (JsonNode node : root.path("profiles")) {
            Profile.State state = switch (text(node, "state")) {
                case "pending" -> Profile.State.PENDING;
                case "active" -> Profile.State.ACTIVE;
                default -> throw new IllegalArgumentException("a profile's state is neither pending nor active");
            };
            DeviceCode dc = DeviceCode.ofDn(B64D.decode(text(node, "dn")));
            Instant created = Instant.parse(text(node, "createdAt"));
            Profile profile;
            if (state == Profile.State.PENDING) {
                profile = Profile.pending(text(node, "name"), text(node, "sn"), text(node, "rid"), optional(node, "issuer"),
                        optional(node, "account"), secret(node, "ap"), dc, created);
            } else {
                profile = new Profile(text(node, "name"), state, text(node, "sn"), text(node, "rid"), optional(node, "issuer"),
                        optional(node, "account"), null, dc, text(node, "iid"), OtpPolicy.parse(text(node, "otp")),
                        secret(node, "instanceSecret"), node.path("hotpCounter").asLong(0), created,
                        Instant.parse(text(node, "activatedAt")));
            }
            if (profiles.put(profile.name(), profile) != null) {
                throw new IllegalArgumentException("two profiles are named " + profile.name());
            }
        }
        return profiles;
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

    private static Secret secret(JsonNode node, String name) {
        byte[] bytes = B64D.decode(text(node, name));
        try {
            return Secret.copyOf(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String reveal(Secret secret) {
        byte[] bytes = secret.reveal();
        try {
            return B64.encodeToString(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ProfileStore[" + file + "]";
    }
}
