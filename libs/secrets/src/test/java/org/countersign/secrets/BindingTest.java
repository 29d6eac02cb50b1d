package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BindingTest {

    @Test
    void bytes_labelPurposeAndOwner() {
        assertEquals("countersign/v2/sealed|otp-key|credential|42",
                new String(Binding.of("otp-key", "credential", "42").bytes("countersign/v2/sealed"), StandardCharsets.UTF_8));
    }

    @Test
    void of_partsThatCouldRunTogether_stayApart() {
        // A user id may hold '|' or '\': escaped, no two owners give the same bytes.
        assertNotEquals(Binding.of("p", "a|b", "c").owner(), Binding.of("p", "a", "b|c").owner());
        assertNotEquals(Binding.of("p", "a\\", "|b").owner(), Binding.of("p", "a\\|", "b").owner());
        assertNotEquals(Binding.of("p", "a", "b").owner(), Binding.of("p", "a|b").owner());
        assertEquals("a\\|b|c\\\\", Binding.of("p", "a|b", "c\\").owner());
    }

    @Test
    void invalid_refused() {
        assertThrows(IllegalArgumentException.class, () -> Binding.of("has|bar", "o"));
        assertThrows(IllegalArgumentException.class, () -> Binding.of("", "o"));
        assertThrows(IllegalArgumentException.class, () -> Binding.of("p"));
        assertThrows(IllegalArgumentException.class, () -> Binding.of("p", ""));
        assertThrows(IllegalArgumentException.class, () -> Binding.of("p", (String) null));
        assertThrows(IllegalArgumentException.class, () -> Binding.of("p", "line\nbreak"));
    }

    @Test
    void within_prefixesThePurpose() {
        assertEquals(new Binding("at-rest/otp-key", "credential|1"), Binding.of("otp-key", "credential", "1").within("at-rest/"));
    }
}
