package org.countersign.push.domain;

import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Number matching: three distinct two-digit numbers the device shows, one of which the app shows too
 * ({@code displayNumber}); the user approves by picking that one. Two digits (10 to 99) are easy to
 * read and compare, and a guess is right one time in three at best, which is why a wrong pick counts
 * as a denial rather than a second chance.
 *
 * @param options the three numbers in the order the device shows them
 * @param displayNumber the one the app shows
 */
public record NumberOptions(List<Integer> options, int displayNumber) {

    public static final int MIN = 10;
    public static final int MAX = 99;
    public static final int COUNT = 3;

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    public NumberOptions {
        options = List.copyOf(options);
        if (options.size() != COUNT || options.stream().distinct().count() != COUNT
                || options.stream().anyMatch(n -> n < MIN || n > MAX) || !options.contains(displayNumber)) {
            throw new IllegalArgumentException("Three distinct numbers from 10 to 99, the display number among them");
        }
    }

    /** Three distinct numbers in a random order, and one of them, each drawn with SecureRandom. */
    public static NumberOptions draw() {
        SecureRandom random = RANDOM.get();
        int[] picked = random.ints(MIN, MAX + 1).distinct().limit(COUNT).toArray();
        List<Integer> options = java.util.Arrays.stream(picked).boxed().toList();
        return new NumberOptions(options, options.get(random.nextInt(COUNT)));
    }

    /** The column form, e.g. {@code 17,42,88}. */
    public String toColumn() {
        return options.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
