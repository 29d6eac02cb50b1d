package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile file: what it keeps, how it is written, and what happens when it is damaged. */
class ProfileStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    private static Profile pending(String name) {
        return Profile.pending(name, "SN-" + name, "reg-" + name, "Bank Ü | x", null, Secret.random(20), DeviceCode.random(), T0);
    }

    @Test
    void putAndRead_pendingAndActive_keepEveryField() {
        ProfileStore store = new ProfileStore(dir.resolve("device/profiles.json"));
        Profile pending = pending("p1");
        Profile active = pending("p2").activated("inst-2", OtpPolicy.parse("hotp:sha512:8"), Secret.random(32), T0.plusSeconds(60))
                .withHotpCounter(41);
        store.put(pending);
        store.put(active);

        List<Profile> read = new ProfileStore(store.file()).list();
        assertEquals(List.of("p1", "p2"), read.stream().map(Profile::name).toList());
        Profile p1 = read.get(0);
        assertEquals(Profile.State.PENDING, p1.state());
        assertEquals("SN-p1", p1.sn());
        assertEquals("reg-p1", p1.rid());
        assertEquals("Bank Ü | x", p1.issuer());
        assertNull(p1.account());
        assertTrue(p1.ap().sameAs(pending.ap()));
        assertTrue(p1.deviceCode().sameAs(pending.deviceCode()));
        assertEquals(T0, p1.createdAt());
        Profile p2 = read.get(1);
        assertEquals(Profile.State.ACTIVE, p2.state());
        assertEquals("inst-2", p2.iid());
        assertEquals(OtpPolicy.parse("hotp:sha512:8"), p2.otp());
        assertEquals(41, p2.hotpCounter());
        assertTrue(p2.instanceSecret().sameAs(active.instanceSecret()));
        assertNull(p2.ap());
        assertEquals(T0.plusSeconds(60), p2.activatedAt());
        assertArrayEquals(active.deviceCode().dn(), p2.deviceCode().dn());
        // Replacing keeps the order.
        store.put(pending("p1"));
        assertEquals(List.of("p1", "p2"), store.list().stream().map(Profile::name).toList());
    }

    @Test
    void inMemory_keepsProfilesInThisStoreOnly() {
        ProfileStore store = ProfileStore.inMemory();
        Profile pending = pending("p1");
        store.put(pending);
        store.put(pending("p2"));
        store.put(pending("p1"));

        assertEquals(List.of("p1", "p2"), store.list().stream().map(Profile::name).toList());
        assertTrue(store.find("p1").orElseThrow().ap().sameAs(store.list().get(0).ap()));
        assertFalse(store.find("p1").orElseThrow().ap().sameAs(pending.ap()), "replaced by the second put");
        assertNull(store.file());
        assertTrue(ProfileStore.inMemory().list().isEmpty(), "each store has its own profiles");
        assertTrue(store.remove("p1"));
        assertFalse(store.remove("p1"));
        assertEquals(List.of("p2"), store.list().stream().map(Profile::name).toList());
    }

    @Test
    void file_isPrivateAndReplacedWhole() throws Exception {
        ProfileStore store = new ProfileStore(dir.resolve("data/device/profiles.json"));
        assertTrue(store.list().isEmpty());
        assertFalse(Files.exists(dir.resolve("data")), "reading creates nothing");
        store.put(pending("a"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        Object before = Files.readAttributes(store.file(), BasicFileAttributes.class).fileKey();
        store.put(pending("b"));
        Object after = Files.readAttributes(store.file(), BasicFileAttributes.class).fileKey();
        assertNotEquals(before, after, "the file is replaced by a rename, not rewritten in place");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        try (var files = Files.list(store.file().getParent())) {
            assertEquals(List.of("profiles.json", "profiles.json.key", "profiles.json.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile())));
        String text = Files.readString(store.file());
        assertTrue(text.contains("\"version\" : 2"), text);
        assertTrue(text.contains("Every secret is sealed with the key in profiles.json.key"), text);
    }

    @Test
    void concurrentHotpUpdates_neverLoseOrRepeatACounter() throws Exception {
        Path file = dir.resolve("profiles.json");
        OtpPolicy policy = OtpPolicy.parse("hotp:sha1:6");
        Profile profile = pending("x").activated("i", policy, Secret.random(32), T0);
        new ProfileStore(file).put(profile);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> codes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DeviceSimulator device = new DeviceSimulator(new ProfileStore(file));
            codes.add(pool.submit(() -> device.otp("x", null)));
        }
        List<String> seen = new ArrayList<>();
        for (Future<String> code : codes) {
            seen.add(code.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(40, new ProfileStore(file).find("x").orElseThrow().hotpCounter());
        List<String> expected = new ArrayList<>();
        for (long counter = 0; counter < 40; counter++) {
            expected.add(Otp.at(policy, profile.keys().otp(policy), counter));
        }
        assertEquals(expected.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void damagedOrForeignFile_refusedWithAdvice() throws Exception {
        Path file = dir.resolve("profiles.json");
        ProfileStore store = new ProfileStore(file);
        for (String content : new String[] {"{", "[]", "{\"version\":3,\"profiles\":[]}",
                "{\"version\":1,\"profiles\":[{\"name\":\"a\",\"state\":\"odd\"}]}",
                "{\"version\":1,\"profiles\":[{\"name\":\"a\",\"state\":\"pending\"}]}"}) {
            Files.writeString(file, content);
            DeviceException e = assertThrows(DeviceException.class, store::list, content);
            assertEquals(DeviceException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("delete it"), e.getMessage());
            assertThrows(DeviceException.class, () -> store.put(pending("b")));
            assertEquals(content, Files.readString(file), "a damaged file is never overwritten");
        }
    }

    @Test
    void version1File_secretsInBase64_readAndRewrittenSealed() throws Exception {
        Path file = dir.resolve("profiles.json");
        Secret is = Secret.random(32);
        Secret ap = Secret.random(20);
        DeviceCode dc = DeviceCode.random();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String isText = b64.encodeToString(is.reveal());
        String apText = b64.encodeToString(ap.reveal());
        String dnText = b64.encodeToString(dc.dn());
        Files.writeString(file, """
                {"version": 1, "profiles": [
                  {"name": "old", "state": "active", "sn": "SN1", "rid": "r1", "dn": "%s", "createdAt": "2026-01-01T00:00:00Z",
                   "iid": "i1", "otp": "hotp:sha1:6", "hotpCounter": 7, "instanceSecret": "%s", "activatedAt": "2026-01-01T00:01:00Z"},
                  {"name": "waiting", "state": "pending", "sn": "SN2", "rid": "r2", "dn": "%s", "createdAt": "2026-01-02T00:00:00Z",
                   "ap": "%s"}]}
                """.formatted(dnText, isText, dnText, apText));
        ProfileStore store = new ProfileStore(file);

        List<Profile> read = store.list();
        assertEquals(List.of("old", "waiting"), read.stream().map(Profile::name).toList());
        assertTrue(read.get(0).instanceSecret().sameAs(is));
        assertEquals(7, read.get(0).hotpCounter());
        assertTrue(read.get(0).deviceCode().sameAs(dc));
        assertTrue(read.get(1).ap().sameAs(ap));
        String text = Files.readString(file);
        assertTrue(text.contains("\"version\" : 2"), "rewritten at the first read: " + text);
        for (String secret : List.of(isText, apText, dnText)) {
            assertFalse(text.contains(secret), text);
        }
        assertTrue(new ProfileStore(file).find("old").orElseThrow().instanceSecret().sameAs(is));
    }

    @Test
    void sealedSecret_movedToAnotherProfile_doesNotOpen() throws Exception {
        ProfileStore store = new ProfileStore(dir.resolve("profiles.json"));
        store.put(pending("a").activated("i-a", OtpPolicy.DEFAULT, Secret.random(32), T0));
        store.put(pending("b").activated("i-b", OtpPolicy.DEFAULT, Secret.random(32), T0));
        String text = Files.readString(store.file());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"instanceSecret\" : \"([^\"]+)\"").matcher(text);
        assertTrue(m.find());
        String ofA = m.group(1);
        assertTrue(m.find());
        String ofB = m.group(1);
        Files.writeString(store.file(), text.replace(ofB, ofA));
        DeviceException e = assertThrows(DeviceException.class, store::list);
        assertEquals(DeviceException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("instanceSecret of profile b does not open with the key file"), e.getMessage());
    }

    @Test
    void defaultFile_followsTheDataDirectory() {
        assertEquals(Path.of("/srv/cs/device/profiles.json"), ProfileStore.defaultFile(Map.of("COUNTERSIGN_DATA_DIR", "/srv/cs")));
        assertEquals(Path.of(".countersign/device/profiles.json").toAbsolutePath().normalize(), ProfileStore.defaultFile(Map.of()));
        assertEquals(Path.of(".countersign/device/profiles.json").toAbsolutePath().normalize(),
                ProfileStore.defaultFile(Map.of("COUNTERSIGN_DATA_DIR", "")));
    }

    @Test
    void toString_showsNoSecret() {
        Profile p = pending("s").activated("inst-9", OtpPolicy.DEFAULT, Secret.random(32), T0);
        String text = p + " " + pending("t") + " " + new ProfileStore(dir.resolve("f.json"));
        String is = Base64.getUrlEncoder().withoutPadding().encodeToString(p.instanceSecret().reveal());
        assertFalse(text.contains(is));
        assertFalse(text.contains(p.deviceCode().digits()));
        assertTrue(text.contains("inst-9"));
    }

    @Test
    void profileNames_checked() {
        for (String bad : new String[] {"", "a b", "a/b", "../x", "ü", "x".repeat(65)}) {
            assertThrows(DeviceException.class, () -> pending(bad), bad);
        }
        pending("Ab.c_d-9");
    }
}
