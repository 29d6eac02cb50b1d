package org.countersign.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.countersign.secrets.Secret;

/**
 * Our OTPs for scripts/check-otp-oathtool.sh, one JVM for all cases. Reads lines from stdin:
 * {@code hotp <alg> <digits> <counter> <hexkey>} or {@code totp <alg> <digits> <period> <unixTime> <hexkey>},
 * and prints one code per line. The policy goes through {@link OtpPolicy#parse}, so the check
 * covers the otp strings of protocol.md as well.
 */
public final class OtpCli {

    private OtpCli() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("hotp") && f.length == 5) {
                OtpPolicy policy = OtpPolicy.parse("hotp:" + f[1] + ":" + f[2]);
                out.println(Otp.at(policy, key(f[4]), Long.parseLong(f[3])));
            } else if (f[0].equals("totp") && f.length == 6) {
                OtpPolicy policy = OtpPolicy.parse("totp:" + f[1] + ":" + f[2] + ":" + f[3]);
                out.println(Otp.atTime(policy, key(f[5]), Long.parseLong(f[4])));
            } else {
                throw new IllegalArgumentException("Unreadable case: " + line);
            }
        }
        out.flush();
    }

    private static Secret key(String hex) {
        return Secret.copyOf(HexFormat.of().parseHex(hex));
    }
}
