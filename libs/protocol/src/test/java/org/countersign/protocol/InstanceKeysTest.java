package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** InstanceKeys keeps a copy of IS of its own, which destroy() wipes without touching the caller's. */
class InstanceKeysTest {

    private static final OtpPolicy POLICY = OtpPolicy.parse("totp:sha256:6:30");

    @Test
    void destroy_wipesItsOwnCopy_andLeavesTheCallersSecret() {
        byte[] bytes = new byte[InstanceKeys.INSTANCE_SECRET_LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        Secret instanceSecret = Secret.copyOf(bytes);
        InstanceKeys keys = InstanceKeys.of(instanceSecret);
        Secret before = keys.otp(POLICY);

        keys.destroy();

        assertArrayEquals(bytes, instanceSecret.reveal(), "the caller's IS is the caller's to destroy");
        assertFalse(before.sameAs(keys.otp(POLICY)), "after destroy, the keys no longer come from IS");
        assertTrue(before.sameAs(InstanceKeys.of(instanceSecret).otp(POLICY)), "the same IS derives the same K_otp");
    }
}
