package org.countersign.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, as ./countersign agent runs it: its own JVM, PIN+OTP on standard input. */
class AgentJarIT {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("agent.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("COUNTERSIGN_DATA_DIR", dir.resolve("data").toString());
        Path inFile = dir.resolve("in.txt");
        Files.writeString(inFile, stdin);
        Path outFile = dir.resolve("out.txt");
        Path errFile = dir.resolve("err.txt");
        Process process = builder.redirectInput(inFile.toFile()).redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar did not finish");
        return new Result(process.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                Files.readString(errFile, StandardCharsets.UTF_8));
    }

    @Test
    void jar_fetchesLogsInOfflineAndReports() throws Exception {
        Result help = run("", "help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("Usage: ./countersign agent"));

        long now = System.currentTimeMillis() / 1000;
        try (FakeOtpService server = new FakeOtpService(now)) {
            String url = "--url=" + server.url();
            Result fetch = run(FakeOtpService.PIN + server.otp(now) + "\n", "fetch", "--user", "alice", url, "--token", "t");
            assertEquals(0, fetch.code(), fetch.err());
            assertTrue(fetch.out().contains("Offline data for alice"), fetch.out());

            long next = (now / 30 + 1) * 30;
            Result early = run(FakeOtpService.PIN + server.otp(next) + "\n", "login", "--user", "alice");
            // The step after the fetch is the earliest the bundle covers; until it begins it is "the one after".
            assertEquals(0, early.code(), early.err());
            Result replay = run(FakeOtpService.PIN + server.otp(next) + "\n", "login", "--user", "alice");
            assertEquals(1, replay.code());
            assertTrue(replay.err().startsWith("countersign agent: Rejected"), replay.err());

            Result status = run("", "status");
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("not reported yet: 1"), status.out());
            Result report = run("", "report", url);
            assertEquals(0, report.code(), report.err());
            assertEquals(List.of(List.of(next / 30)), server.reports);
        }
        Result none = run("x\n", "login", "--user", "bob");
        assertEquals(5, none.code(), none.err());
        assertEquals(2, run("", "login").code());
        assertEquals(2, run("", "frobnicate").code());
    }
}
