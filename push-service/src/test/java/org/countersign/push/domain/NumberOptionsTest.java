package org.countersign.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Number matching's draw: three distinct two-digit numbers, the app's among them, anywhere among them. */
class NumberOptionsTest {

    @Test
    void draw_threeDistinctTwoDigitNumbers_theDisplayNumberAmongThem_inEveryPosition() {
        Set<Integer> values = new HashSet<>();
        Set<Integer> positions = new HashSet<>();
        for (int i = 0; i < 3_000; i++) {
            NumberOptions drawn = NumberOptions.draw();
            assertEquals(3, new HashSet<>(drawn.options()).size());
            assertTrue(drawn.options().stream().allMatch(n -> n >= 10 && n <= 99));
            assertTrue(drawn.options().contains(drawn.displayNumber()));
            values.addAll(drawn.options());
            positions.add(drawn.options().indexOf(drawn.displayNumber()));
        }
        assertEquals(90, values.size(), "every number from 10 to 99 comes up");
        assertEquals(Set.of(0, 1, 2), positions, "the app's number is not always in the same place");
    }

    @Test
    void construction_refusesWhatNumberMatchingCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new NumberOptions(List.of(10, 10, 11), 10));
        assertThrows(IllegalArgumentException.class, () -> new NumberOptions(List.of(9, 10, 11), 10));
        assertThrows(IllegalArgumentException.class, () -> new NumberOptions(List.of(98, 99, 100), 99));
        assertThrows(IllegalArgumentException.class, () -> new NumberOptions(List.of(10, 11, 12), 13));
        assertThrows(IllegalArgumentException.class, () -> new NumberOptions(List.of(10, 11), 10));
        assertEquals("17,42,88", new NumberOptions(List.of(17, 42, 88), 42).toColumn());
    }
}
