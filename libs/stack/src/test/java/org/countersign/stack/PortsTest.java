package org.countersign.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /**
     * Ports handed out are distinct, bindable, and (on Linux) below the ephemeral range less 1,000. The range is
     * read here on its own (a buffered read of the whole line) and must be known wherever the kernel publishes
     * it, so that a misread range cannot turn the check off.
     */
    @Test
    void freePorts_distinct_bindable_outsideTheEphemeralRange() throws Exception {
        int ephemeralFrom = -1;
        if (Files.exists(RANGE)) {
            ephemeralFrom = Integer.parseInt(Files.readAllLines(RANGE).get(0).trim().split("\\s+")[0]);
            if (ephemeralFrom - 1_000 - 15_000 >= 2_000) {
                assertNotNull(Ports.belowEphemeralRange(), "the kernel's range " + Files.readAllLines(RANGE).get(0)
                        + " is read: " + Ports.ephemeralRange());
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            ports.add(port);
            if (ephemeralFrom - 1_000 - 15_000 >= 2_000) {
                assertTrue(port >= 15_000 && port < ephemeralFrom - 1_000, port + " is below the ephemeral range less 1,000");
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        assertEquals(50, ports.size(), "no port handed out twice");
    }
}
