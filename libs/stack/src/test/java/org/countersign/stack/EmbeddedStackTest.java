package org.countersign.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStackTest {

    @TempDir
    Path dir;

    @Test
    void start_thenRestartOnSameData_keepsRowsAndFreesPorts() throws Exception {
        StackConfig config = StackConfig.ephemeral(dir);
        List<Long> pids;
        try (EmbeddedStack stack = EmbeddedStack.start(config)) {
            pids = stack.pids();
            stack.createDatabase("smoke");
            try (Connection c = DriverManager.getConnection(stack.postgresJdbcUrl("smoke"), EmbeddedStack.POSTGRES_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('survives a restart')");
            }
            assertEquals("+PONG", redis(config.redisPort(), "PING"));
            assertTrue(Files.exists(dir.resolve("kafka/ready")), "Kafka wrote its ready marker");
            assertTrue(Files.exists(dir.resolve("kafka/data/meta.properties")), "Kafka storage is formatted");
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " stopped");
        }
        assertTrue(!Ports.isOpen("127.0.0.1", config.kafkaPort()) && !Ports.isOpen("127.0.0.1", config.postgresPort())
                && !Ports.isOpen("127.0.0.1", config.redisPort()), "every port is free again");

        try (EmbeddedStack again = EmbeddedStack.start(config)) {
            try (Connection c = DriverManager.getConnection(again.postgresJdbcUrl("smoke"), EmbeddedStack.POSTGRES_USER, "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("survives a restart", rs.getString(1));
            }
        }
    }

    @Test
    void start_portInUse_namesPortAndVariable() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StackConfig base = StackConfig.ephemeral(dir);
            StackConfig config = new StackConfig(dir, base.kafkaPort(), base.kafkaControllerPort(), taken.getLocalPort(),
                    base.redisPort(), true, true, true, base.postgresBinaries(), true);
            StackException e = assertThrows(StackException.class, () -> EmbeddedStack.start(config));
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
            assertTrue(e.getMessage().contains("COUNTERSIGN_POSTGRES_PORT"), e.getMessage());
        }
    }

    private static String redis(int port, String command) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
