package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void copyOf_inputChangedAfterwards_secretUnchanged() {
        byte[] input = {1, 2, 3};
        Secret secret = Secret.copyOf(input);
        input[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, secret.reveal());
    }

    @Test
    void wipingCopyOf_keepsTheBytes_wipesTheInput() {
        byte[] input = {1, 2, 3};
        Secret secret = Secret.wipingCopyOf(input);
        assertArrayEquals(new byte[] {0, 0, 0}, input);
        assertArrayEquals(new byte[] {1, 2, 3}, secret.reveal());
    }

    @Test
    void reveal_outputChanged_secretUnchanged() {
        Secret secret = Secret.copyOf(new byte[] {1, 2, 3});
        secret.reveal()[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, secret.reveal());
    }

    @Test
    void sameAs_flippedBitOrOtherLength_notSame() {
        Secret secret = Secret.copyOf(new byte[] {1, 2, 3});
        assertTrue(secret.sameAs(Secret.copyOf(new byte[] {1, 2, 3})));
        assertFalse(secret.sameAs(Secret.copyOf(new byte[] {1, 2, 2})));
        assertFalse(secret.sameAs(Secret.copyOf(new byte[] {1, 2, 3, 0})));
        assertFalse(secret.sameAs(null));
    }

    @Test
    void toString_neverShowsTheBytes() {
        Secret secret = Secret.copyOf(HexFormat.of().parseHex("deadbeefcafe"));
        assertEquals("Secret[6 bytes]", secret.toString());
        assertFalse(String.valueOf(secret).toLowerCase().contains("dead"));
    }

    @Test
    void copyOf_emptyOrNull_fails() {
        assertThrows(IllegalArgumentException.class, () -> Secret.copyOf(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Secret.copyOf(null));
    }

    @Test
    void random_twoDraws_differ() {
        assertFalse(Secret.random(32).sameAs(Secret.random(32)));
    }
}
