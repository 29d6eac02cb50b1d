package org.countersign.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The agent's memory, one JSON file: its own id and, per user, the offline data and the steps used.
 * The file holds no token key and no PIN, but a bundle can be attacked offline (docs/otp.md), so it is
 * created with permissions 600 in a directory made 700, replaced atomically (a temporary file in the
 * same directory, then a rename), and changed under an exclusive lock on a sibling {@code .lock} file,
 * so that two logins at once never accept the same step.
 *
 * <p>The default file is {@code $COUNTERSIGN_DATA_DIR/agent/agent.json}, else
 * {@code ./.countersign/agent/agent.json}.
 */
public final class AgentStore {

    /** The state of the agent: its id, and its users by id in the order they were first stored. */
    public record State(String agentId, Map<String, UserData> users) {
        public State {
            users = new LinkedHashMap<>(users);
        }
    }

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;

    public AgentStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public static Path defaultFile(Map<String, String> env) {
        String dataDir = env.get("COUNTERSIGN_DATA_DIR");
        Path base = dataDir == null || dataDir.isBlank() ? Path.of(".countersign") : Path.of(dataDir);
        return base.resolve("agent").resolve("agent.json").toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    /** The state as stored; an agent that never stored anything has a new id (not yet written). */
    public State read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new State(UUID.randomUUID().toString(), Map.of());
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.STORE, "Cannot read the agent file " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new AgentException(AgentException.Kind.STORE, "The agent file " + file + " is damaged (" + e.getMessage()
                    + "); delete it and fetch offline data again", e);
        }
    }

    /** Reads, lets {@code change} return the new state and a result, writes it back: all under the lock. */
    public synchronized <T> T update(Function<State, Change<T>> change) {
        try {
            createDirectory();
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    attributes());
                 FileLock lock = channel.lock()) {
                Change<T> done = change.apply(read());
                if (done.state() != null) {
                    write(done.state());
                }
                return done.result();
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.STORE, "Cannot write the agent file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new state to write (null: nothing changed) and what the caller gets back. */
    public record Change<T>(State state, T result) {
    }

    private void write(State state) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(toJson(state));
        Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".partial", attributes());
        try {
            Files.write(partial, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(), POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                    : new FileAttribute<?>[0]);
        }
    }

    private static FileAttribute<?>[] attributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    // ---- the file format, version 1 ----

    private static ObjectNode toJson(State state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("note", "Countersign reference logon agent. Offline authentication data: no token key and no PIN, but a"
                + " bundle can be attacked offline, so keep this file private (mode 600).");
        root.put("agentId", state.agentId());
        ArrayNode users = root.putArray("users");
        for (UserData user : state.users().values()) {
            ObjectNode node = users.addObject();
            node.put("userId", user.userId());
            node.put("bundle", user.bundleJson());
            node.put("fetchedAt", user.fetchedAt().toString());
            node.put("nextRefreshAt", user.nextRefreshAt().toString());
            user.usedSteps().forEach(node.putArray("usedSteps")::add);
            user.unreportedSteps().forEach(node.putArray("unreportedSteps")::add);
            node.put("failures", user.failures());
        }
        return root;
    }

    private static State fromJson(JsonNode root) {
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " agent file");
        }
        String agentId = text(root, "agentId");
        Map<String, UserData> users = new LinkedHashMap<>();
        for (JsonNode node : root.path("users")) {
            UserData user = new UserData(text(node, "userId"), text(node, "bundle"), Instant.parse(text(node, "fetchedAt")),
                    Instant.parse(text(node, "nextRefreshAt")), steps(node.path("usedSteps")), steps(node.path("unreportedSteps")),
                    node.path("failures").asInt(0));
            user.bundle();
            if (users.put(user.userId(), user) != null) {
                throw new IllegalArgumentException("two entries for one user");
            }
        }
        return new State(agentId, users);
    }

    private static List<Long> steps(JsonNode array) {
        List<Long> steps = new ArrayList<>();
        array.forEach(step -> steps.add(step.asLong()));
        return steps;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no " + name);
        }
        return value.asText();
    }

    @Override
    public String toString() {
        return "AgentStore[" + file + "]";
    }
}
