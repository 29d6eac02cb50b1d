package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Issuing and checking offline data, beyond the frozen vectors: the rules each side enforces. */
class OfflineBundleTest {

    private static final OtpPolicy POLICY = OtpPolicy.DEFAULT;
    private static final Secret IS = Secret.copyOf(new byte[32]);
    private static final Secret OTP_KEY = InstanceKeys.of(IS).otp(POLICY);
    private static final String PIN = "582039";
    private static final long NOW = 1_765_000_000L;
    private static final long STEP = NOW / 30;

    private static Secret utf8(String text) {
        return Secret.copyOf(text.getBytes(StandardCharsets.UTF_8));
    }

    private static OfflineBundle issue(long firstStep, int steps) {
        return OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, OTP_KEY, utf8(PIN), firstStep, steps, 100_000);
    }

    @Test
    void issued_readBack_checksPinPlusOtpOnceAcrossTheWindow() {
        OfflineBundle bundle = OfflineBundle.parse(issue(STEP - 1, 10).toJson());
        String otp = Otp.at(POLICY, OTP_KEY, STEP);
        OfflineCheck accepted = bundle.check(utf8(PIN + otp), NOW, step -> false);
        assertEquals(new OfflineCheck(OfflineCheck.Result.ACCEPTED, STEP), accepted);
        assertEquals(OfflineCheck.Result.REJECTED, bundle.check(utf8(PIN + otp), NOW, Set.of(STEP)::contains).result(),
                "a used step is never accepted again");
        assertEquals(OfflineCheck.Result.REJECTED, bundle.check(utf8("582038" + otp), NOW, step -> false).result());
        assertEquals(OfflineCheck.Result.NO_DATA_FOR_THIS_TIME,
                bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP + 20)), (STEP + 20) * 30, step -> false).result());
    }

    @Test
    void issue_drawsAFreshSaltEachTime_andTheTagsDependOnIt() {
        OfflineBundle a = issue(STEP, 2);
        OfflineBundle b = issue(STEP, 2);
        assertFalse(java.util.Arrays.equals(a.salt(), b.salt()));
        assertFalse(java.util.Arrays.equals(a.tags(), b.tags()));
        assertEquals(16, a.salt().length);
        assertEquals(STEP + 2, a.endStep());
        assertEquals(java.time.Instant.ofEpochSecond(STEP * 30), a.validFrom());
    }

    @Test
    void issue_refusesWhatProtocolMdForbids() {
        Secret pin = utf8(PIN);
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop-1", "SN-1",
                OtpPolicy.parse("hotp:sha1:6"), OTP_KEY, pin, 0, 1, 100_000), "only TOTP");
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, OTP_KEY,
                pin, 0, 1, 99_999), "at least 100,000 iterations");
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, OTP_KEY,
                utf8("12345"), 0, 1, 100_000), "a PIN of at least 6 characters");
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop|1", "SN-1", POLICY, OTP_KEY,
                pin, 0, 1, 100_000), "agentId is an id");
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, OTP_KEY,
                pin, 0, OfflineBundle.MAX_STEPS + 1, 100_000), "at most MAX_STEPS");
        assertThrows(IllegalArgumentException.class, () -> OfflineBundle.issue("alice", "laptop-1", "SN-1", POLICY, OTP_KEY,
                Secret.copyOf(new byte[] {'1', '2', '3', '4', '5', (byte) 0xC3}), 0, 1, 100_000), "a PIN that is not UTF-8");
        assertThrows(IllegalArgumentException.class, () -> OfflineKey.derive(pin, new byte[16], 10_000_001));
    }

    @Test
    void bundle_carriesNoSecretAndPrintsNoTags() {
        OfflineBundle bundle = issue(STEP, 4);
        String json = bundle.toJson();
        byte[] otpKey = OTP_KEY.reveal();
        for (String secret : new String[] {PIN, HexFormat.of().formatHex(otpKey), Base64.getUrlEncoder().withoutPadding()
                .encodeToString(otpKey), Base64.getEncoder().encodeToString(otpKey), Base32.encode(otpKey)}) {
            assertFalse(json.contains(secret));
        }
        assertFalse(bundle.toString().contains(org.countersign.protocol.internal.Base64Url.encode(bundle.tags())));
        assertFalse(bundle.toString().contains(org.countersign.protocol.internal.Base64Url.encode(bundle.salt())));
        assertTrue(bundle.toString().contains("laptop-1"));
    }

    @Test
    void check_malformedInput_rejectedLikeAWrongPin() {
        OfflineBundle bundle = issue(STEP - 1, 3);
        String otp = Otp.at(POLICY, OTP_KEY, STEP);
        for (String typed : new String[] {otp, PIN + otp + "1", PIN + otp.substring(1), "58203" + otp, PIN + "12345a",
                PIN.replace('5', '\u0665') + otp}) {
            assertEquals(OfflineCheck.REJECTED, bundle.check(utf8(typed), NOW, step -> false), typed);
        }
        assertEquals(OfflineCheck.REJECTED, bundle.check(Secret.copyOf(new byte[] {(byte) 0xFF}), NOW, step -> false));
    }

    @Test
    void check_currentStepWinsOverTheOthers_andTheWindowIsOneStepEachWay() {
        OfflineBundle bundle = issue(STEP - 5, 11);
        assertEquals(STEP - 1, bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP - 1)), NOW, s -> false).step());
        assertEquals(STEP + 1, bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP + 1)), NOW, s -> false).step());
        assertEquals(OfflineCheck.REJECTED, bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP + 2)), NOW, s -> false));
        assertEquals(OfflineCheck.REJECTED, bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP - 2)), NOW, s -> false));
        assertNotEquals(bundle.check(utf8(PIN + Otp.at(POLICY, OTP_KEY, STEP)), NOW, s -> false).step(), -1);
    }
}
