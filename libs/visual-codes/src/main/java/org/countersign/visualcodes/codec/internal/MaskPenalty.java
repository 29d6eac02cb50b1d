package org.countersign.visualcodes.codec.internal;

/** The mask patterns of ISO/IEC 18004 and the penalty that picks the most readable one. */
final class MaskPenalty {

    /** 1:1:3:1:1 dark-light-dark as seven bits, the shape of a finder pattern (rule 3). */
    private static final int FINDER_BITS = 0b1011101;

    private MaskPenalty() {
    }

    static boolean masked(int mask, int x, int y) {
        return switch (mask) {
            case 0 -> (x + y) % 2 == 0;
            case 1 -> y % 2 == 0;
            case 2 -> x % 3 == 0;
            case 3 -> (x + y) % 3 == 0;
            case 4 -> (y / 2 + x / 3) % 2 == 0;
            case 5 -> (x * y) % 2 + (x * y) % 3 == 0;
            case 6 -> ((x * y) % 2 + (x * y) % 3) % 2 == 0;
            case 7 -> ((x + y) % 2 + (x * y) % 3) % 2 == 0;
            default -> throw new IllegalArgumentException("mask " + mask);
        };
    }

    /** Rules 1 (runs), 2 (2x2 blocks), 3 (finder-like patterns) and 4 (dark balance). */
    static int of(byte[] m, int n) {
        byte[] t = new byte[m.length];
        int dark = 0;
        int blocks = 0;
        for (int y = 0; y < n; y++) {
            int row = y * n;
            for (int x = 0; x < n; x++) {
                byte v = m[row + x];
                t[x * n + y] = v;
                dark += v;
                if (x > 0 && y > 0 && v == m[row + x - 1] && v == m[row - n + x] && v == m[row - n + x - 1]) {
                    blocks++;
                }
            }
        }
        int penalty = 3 * blocks + lines(m, n) + lines(t, n);
        int total = n * n;
        return penalty + Math.abs(dark * 2 - total) * 10 / total * 10;
    }

    /** Rules 1 and 3 along every row of {@code m} (columns when given the transpose). */
    private static int lines(byte[] m, int n) {
        int penalty = 0;
        for (int y = 0; y < n; y++) {
            int row = y * n;
            int run = 1;
            int window = m[row];
            for (int x = 1; x < n; x++) {
                byte v = m[row + x];
                if (v == m[row + x - 1]) {
                    run++;
                } else {
                    penalty += run >= 5 ? run - 2 : 0;
                    run = 1;
                }
                window = ((window << 1) | v) & 0x7F;
                if (x >= 6 && window == FINDER_BITS) {
                    int start = x - 6;
                    if (light(m, row, start - 4, start, n) || light(m, row, x + 1, x + 5, n)) {
                        penalty += 40;
                    }
                }
            }
            penalty += run >= 5 ? run - 2 : 0;
        }
        return penalty;
    }

    /** Cells [from, to) of a row are light; cells outside the symbol count as light (the quiet zone). */
    private static boolean light(byte[] m, int row, int from, int to, int n) {
        for (int x = Math.max(0, from); x < Math.min(n, to); x++) {
            if (m[row + x] == 1) {
                return false;
            }
        }
        return true;
    }
}
