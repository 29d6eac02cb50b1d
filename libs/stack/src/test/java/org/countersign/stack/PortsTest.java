package org.countersign.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Ports handed out are distinct, bindable, and (on Linux) below the ephemeral range less 1,000. */
    @Test
    void freePorts_distinct_bindable_outsideTheEphemeralRange() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralFrom = Files.exists(range) ? Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]) : -1;
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            ports.add(port);
            if (ephemeralFrom > 17_000) {
                assertTrue(port < ephemeralFrom - 1_000, port + " is below the ephemeral range less 1,000");
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        assertEquals(50, ports.size(), "no port handed out twice");
    }
}
