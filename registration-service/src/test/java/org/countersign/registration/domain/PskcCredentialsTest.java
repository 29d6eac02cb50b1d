package org.countersign.registration.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

class PskcCredentialsTest {

    @Test
    void password_copiedInAndOut() {
        char[] given = "qwerty".toCharArray();
        PskcCredentials credentials = PskcCredentials.password(given);
        given[0] = 'X';
        char[] out = credentials.password().orElseThrow();
        out[1] = 'Y';

        assertArrayEquals("qwerty".toCharArray(), credentials.password().orElseThrow());
    }

    @Test
    void destroy_wipesPasswordAndKey() {
        PskcCredentials password = PskcCredentials.password("qwerty".toCharArray());
        PskcCredentials key = PskcCredentials.preSharedKey(Secret.copyOf(new byte[] {1, 2, 3}));
        password.destroy();
        key.destroy();

        assertArrayEquals(new char[6], password.password().orElseThrow());
        assertArrayEquals(new byte[3], key.preSharedKey().orElseThrow().reveal());
    }

    @Test
    void factories_emptyInput_fail() {
        assertThrows(IllegalArgumentException.class, () -> PskcCredentials.password(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> PskcCredentials.password(null));
        assertThrows(IllegalArgumentException.class, () -> PskcCredentials.preSharedKey(null));
    }

    @Test
    void toString_showsOnlyTheKind() {
        byte[] key = HexFormat.of().parseHex("12345678901234567890123456789012");
        String password = PskcCredentials.password("qwerty".toCharArray()).toString();
        String preShared = PskcCredentials.preSharedKey(Secret.copyOf(key)).toString();

        assertFalse(password.contains("qwerty"), password);
        assertFalse(preShared.contains("12345678901234567890123456789012"), preShared);
        assertEquals("PskcCredentials[none]", PskcCredentials.none().toString());
        assertTrue(preShared.contains("pre-shared key"));
    }
}
