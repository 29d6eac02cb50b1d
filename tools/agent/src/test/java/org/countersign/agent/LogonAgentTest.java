package org.countersign.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.countersign.protocol.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference agent against the offline-data API played on loopback with libs/protocol. */
class LogonAgentTest {

    private static final long NOW = 1_765_000_005L;
    private static final String PIN = FakeOtpService.PIN;

    @TempDir
    Path dir;
    private FakeOtpService server;
    private LogonAgent agent;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOtpService(NOW);
        agent = new LogonAgent(new AgentStore(dir.resolve("agent/agent.json")), new OtpServiceClient(server.url(), "token"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private char[] typed(long unixSeconds) {
        return (PIN + server.otp(unixSeconds)).toCharArray();
    }

    @Test
    void fetched_thenOffline_acceptsOnce_rejectsWrongAndReplayed_reportsWhenBack() throws Exception {
        LogonAgent.Fetched fetched = agent.fetch("alice", typed(NOW), 7, null, Instant.ofEpochSecond(NOW));
        assertEquals(NOW / 30 + 1, fetched.bundle().firstStep());
        long later = NOW + 3600;
        LogonAgent.Login login = agent.login("alice", typed(later), Instant.ofEpochSecond(later));
        assertEquals(later / 30, login.step());
        assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class,
                () -> agent.login("alice", typed(later), Instant.ofEpochSecond(later))).kind(), "a step is accepted once");
        assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class, () -> agent.login("alice",
                ("04711924" + server.otp(later + 30)).toCharArray(), Instant.ofEpochSecond(later + 30))).kind());
        assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class, () -> agent.login("alice",
                (PIN + "000000").toCharArray(), Instant.ofEpochSecond(later + 30))).kind());
        assertEquals(List.of(later / 30), agent.users().get("alice").unreportedSteps());
        assertEquals(3, agent.users().get("alice").failures(), "a replay counts as a wrong attempt");

        assertEquals(1, agent.report(null));
        assertEquals(List.of(List.of(later / 30)), server.reports);
        assertEquals(List.of(), agent.users().get("alice").unreportedSteps());
        assertEquals(0, agent.report("alice"), "nothing left to report");
    }

    @Test
    void file_mode600_holdsNoTokenKeyNoInstanceSecretNoPin() throws Exception {
        agent.fetch("alice", typed(NOW), 7, null, Instant.ofEpochSecond(NOW));
        agent.login("alice", typed(NOW + 60), Instant.ofEpochSecond(NOW + 60));
        Path file = agent.store().file();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String content = Files.readString(file, StandardCharsets.UTF_8);
        for (byte[] secret : List.of(server.otpKey.reveal(), server.instanceSecret.reveal())) {
            for (String text : List.of(HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret), Base32.encode(secret))) {
                assertFalse(content.contains(text));
            }
        }
        assertFalse(content.contains(PIN));
        assertTrue(content.contains(agent.agentId()));
    }

    @Test
    void outsideTheData_noData_andTenWrongAttemptsLockUntilTheNextFetch() {
        agent.fetch("alice", typed(NOW), 1, null, Instant.ofEpochSecond(NOW));
        long after = NOW + 2 * 86_400;
        assertEquals(AgentException.Kind.NO_DATA, assertThrows(AgentException.class,
                () -> agent.login("alice", typed(after), Instant.ofEpochSecond(after))).kind());
        assertEquals(AgentException.Kind.NO_DATA, assertThrows(AgentException.class,
                () -> agent.login("bob", typed(NOW), Instant.ofEpochSecond(NOW))).kind());
        for (int i = 0; i < LogonAgent.MAX_OFFLINE_FAILURES; i++) {
            assertThrows(AgentException.class, () -> agent.login("alice", "0000000000000".toCharArray(), Instant.ofEpochSecond(NOW + 60)));
        }
        AgentException locked = assertThrows(AgentException.class, () -> agent.login("alice", typed(NOW + 60),
                Instant.ofEpochSecond(NOW + 60)));
        assertTrue(locked.getMessage().contains("locked"), locked.getMessage());
        server.now = NOW + 90;
        agent.fetch("alice", typed(NOW + 90), 1, null, Instant.ofEpochSecond(NOW + 90));
        assertEquals((NOW + 120) / 30, agent.login("alice", typed(NOW + 120), Instant.ofEpochSecond(NOW + 120)).step());
    }

    @Test
    void refusals_fromTheServer_andBundlesTheAgentMustNotTrust() {
        assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class, () -> agent.fetch("alice",
                (PIN + "000000").toCharArray(), 7, null, Instant.ofEpochSecond(NOW))).kind());
        server.weakIterations = true;
        AgentException weak = assertThrows(AgentException.class, () -> agent.fetch("alice", typed(NOW), 7, null,
                Instant.ofEpochSecond(NOW)));
        assertTrue(weak.getMessage().contains("iterations"), weak.getMessage());
        server.weakIterations = false;
        server.agentIdOverride = "someone-else";
        assertEquals(AgentException.Kind.SERVER, assertThrows(AgentException.class, () -> agent.fetch("alice", typed(NOW), 7,
                null, Instant.ofEpochSecond(NOW))).kind());
        assertFalse(agent.users().containsKey("alice"), "nothing refused is kept");
        server.agentIdOverride = null;

        agent.fetch("alice", typed(NOW), 7, null, Instant.ofEpochSecond(NOW));
        server.refuseNext(429, "offline-data-refresh-too-soon", ",\"nextRefreshAt\":\"2025-12-07T05:46:45Z\"");
        AgentException soon = assertThrows(AgentException.class, () -> agent.fetch("alice", typed(NOW), 7, null,
                Instant.ofEpochSecond(NOW)));
        assertTrue(soon.getMessage().contains("2025-12-07T05:46:45Z"), soon.getMessage());
        assertEquals(Instant.parse("2025-12-07T05:46:45Z"), agent.users().get("alice").nextRefreshAt());

        agent.login("alice", typed(NOW + 60), Instant.ofEpochSecond(NOW + 60));
        server.refuseNext(409, "offline-usage-outside-data", "");
        assertEquals(0, agent.report("alice"));
        assertEquals(List.of(), agent.users().get("alice").unreportedSteps(), "steps the server can no longer take are dropped");
        assertEquals(AgentException.Kind.SERVER, assertThrows(AgentException.class, () -> new LogonAgent(agent.store(),
                new OtpServiceClient(java.net.URI.create("http://127.0.0.1:9"), null)).fetch("alice", typed(NOW), 7, null,
                Instant.ofEpochSecond(NOW))).kind());
    }
}
