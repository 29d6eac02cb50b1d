package org.countersign.visualcodes.codec.internal;

import com.google.zxing.common.reedsolomon.GenericGF;
import com.google.zxing.common.reedsolomon.ReedSolomonEncoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * One QR symbol holding its bytes in a single byte-mode segment, with no ECI, at a version the
 * caller may force. ZXing's own encoder cannot do this: it picks the numeric or alphanumeric mode
 * whenever the content allows it and adds an ECI whenever a character set is named, and the colour
 * code needs neither (protocol.md). We take ZXing's version tables and Reed-Solomon encoder and lay
 * out the matrix here, following ISO/IEC 18004 (as ZXing's MatrixUtil does).
 */
public final class QrSymbol {

    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 40;
    private static final int MODE_BYTE = 0b0100;
    private static final int FORMAT_POLY = 0x537;
    private static final int FORMAT_MASK = 0x5412;
    private static final int VERSION_POLY = 0x1f25;
    private static final int[][] FORMAT_CELLS = {
            {8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8},
            {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}};
    private static final ReedSolomonEncoder REED_SOLOMON = new ReedSolomonEncoder(GenericGF.QR_CODE_FIELD_256);

    private final int version;
    private final int dimension;
    private final boolean[] dark;

    private QrSymbol(int version, int dimension, boolean[] dark) {
        this.version = version;
        this.dimension = dimension;
        this.dark = dark;
    }

    /** The most bytes a symbol of this version and level holds. */
    public static int capacity(int version, ErrorCorrectionLevel level) {
        int dataBits = dataCodewords(Version.getVersionForNumber(version), level) * 8;
        return (dataBits - 4 - countBits(version)) / 8;
    }

    /** The smallest version that holds {@code bytes} bytes, or -1 when none does. */
    public static int smallestVersion(int bytes, ErrorCorrectionLevel level) {
        for (int v = MIN_VERSION; v <= MAX_VERSION; v++) {
            if (capacity(v, level) >= bytes) {
                return v;
            }
        }
        return -1;
    }

    public static QrSymbol encode(byte[] data, ErrorCorrectionLevel level, int version) {
        if (version < MIN_VERSION || version > MAX_VERSION || data.length > capacity(version, level)) {
            throw new IllegalArgumentException("The data does not fit version " + version);
        }
        Version v = Version.getVersionForNumber(version);
        byte[] codewords = interleave(dataCodewords(data, v, level), v, level);
        int dimension = v.getDimensionForVersion();
        byte[] best = null;
        int bestPenalty = Integer.MAX_VALUE;
        for (int mask = 0; mask < 8; mask++) {
            byte[] matrix = layOut(codewords, v, level, mask, dimension);
            int penalty = MaskPenalty.of(matrix, dimension);
            if (penalty < bestPenalty) {
                bestPenalty = penalty;
                best = matrix;
            }
        }
        boolean[] dark = new boolean[best.length];
        for (int i = 0; i < best.length; i++) {
            dark[i] = best[i] == 1;
        }
        return new QrSymbol(version, dimension, dark);
    }

    public int version() {
        return version;
    }

    /** Modules per side, without quiet zone. */
    public int dimension() {
        return dimension;
    }

    public boolean isDark(int x, int y) {
        return dark[y * dimension + x];
    }

    private static int countBits(int version) {
        return version < 10 ? 8 : 16;
    }

    private static int dataCodewords(Version version, ErrorCorrectionLevel level) {
        return version.getTotalCodewords() - version.getECBlocksForLevel(level).getTotalECCodewords();
    }

    /** Mode, count, the bytes, the terminator and the pad codewords 0xEC 0x11. */
    private static byte[] dataCodewords(byte[] data, Version version, ErrorCorrectionLevel level) {
        byte[] out = new byte[dataCodewords(version, level)];
        BitWriter bits = new BitWriter(out);
        bits.write(MODE_BYTE, 4);
        bits.write(data.length, countBits(version.getVersionNumber()));
        for (byte b : data) {
            bits.write(b & 0xFF, 8);
        }
        bits.write(0, Math.min(4, out.length * 8 - bits.position()));
        int at = (bits.position() + 7) / 8;
        for (int i = 0; at < out.length; i++, at++) {
            out[at] = (byte) (i % 2 == 0 ? 0xEC : 0x11);
        }
        return out;
    }

    private static final class BitWriter {
        private final byte[] out;
        private int position;

        BitWriter(byte[] out) {
            this.out = out;
        }

        void write(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                if (((value >>> i) & 1) != 0) {
                    out[position >> 3] |= (byte) (0x80 >>> (position & 7));
                }
                position++;
            }
        }

        int position() {
            return position;
        }
    }

    /** Splits the data into blocks, adds each block's Reed-Solomon codewords and interleaves them. */
    private static byte[] interleave(byte[] data, Version version, ErrorCorrectionLevel level) {
        Version.ECBlocks ecBlocks = version.getECBlocksForLevel(level);
        int ecPerBlock = ecBlocks.getECCodewordsPerBlock();
        int blockCount = ecBlocks.getNumBlocks();
        int[][] dataBlocks = new int[blockCount][];
        int[][] ecBlocksOut = new int[blockCount][];
        int block = 0;
        int from = 0;
        int longest = 0;
        for (Version.ECB group : ecBlocks.getECBlocks()) {
            for (int i = 0; i < group.getCount(); i++, block++) {
                int length = group.getDataCodewords();
                int[] toEncode = new int[length + ecPerBlock];
                for (int j = 0; j < length; j++) {
                    toEncode[j] = data[from + j] & 0xFF;
                }
                REED_SOLOMON.encode(toEncode, ecPerBlock);
                dataBlocks[block] = java.util.Arrays.copyOf(toEncode, length);
                ecBlocksOut[block] = java.util.Arrays.copyOfRange(toEncode, length, toEncode.length);
                from += length;
                longest = Math.max(longest, length);
            }
        }
        byte[] out = new byte[version.getTotalCodewords()];
        int at = 0;
        for (int j = 0; j < longest; j++) {
            for (int[] b : dataBlocks) {
                if (j < b.length) {
                    out[at++] = (byte) b[j];
                }
            }
        }
        for (int j = 0; j < ecPerBlock; j++) {
            for (int[] b : ecBlocksOut) {
                out[at++] = (byte) b[j];
            }
        }
        return out;
    }

    /**
     * What every symbol of a version shares: the function patterns (the format cells are rewritten
     * for each mask), the order of the data cells, and the eight masks over the matrix. Built
     * once per version; immutable, so final-field semantics make sharing it across threads safe.
     */
    private static final class Layout {
        final int n;
        final byte[] base;
        final int[] dataCells;
        final byte[][] masks = new byte[8][];

        Layout(Version version) {
            n = version.getDimensionForVersion();
            byte[] m = new byte[n * n];
            java.util.Arrays.fill(m, (byte) -1);
            finder(m, n, 0, 0);
            finder(m, n, n - 7, 0);
            finder(m, n, 0, n - 7);
            int[] centres = version.getAlignmentPatternCenters();
            for (int cy : centres) {
                for (int cx : centres) {
                    if (m[cy * n + cx] == -1) {
                        alignment(m, n, cx, cy);
                    }
                }
            }
            for (int i = 8; i < n - 8; i++) {
                byte bit = (byte) (i % 2 == 0 ? 1 : 0);
                if (m[6 * n + i] == -1) {
                    m[6 * n + i] = bit;
                }
                if (m[i * n + 6] == -1) {
                    m[i * n + 6] = bit;
                }
            }
            m[(n - 8) * n + 8] = 1;
            formatInfo(m, n, 0);
            versionInfo(m, n, version.getVersionNumber());
            dataCells = dataOrder(m, n);
            for (int cell : dataCells) {
                m[cell] = 0;
            }
            base = m;
            for (int mask = 0; mask < 8; mask++) {
                byte[] pattern = new byte[n * n];
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        pattern[y * n + x] = (byte) (MaskPenalty.masked(mask, x, y) ? 1 : 0);
                    }
                }
                masks[mask] = pattern;
            }
        }
    }

    private static final Layout[] LAYOUTS = new Layout[MAX_VERSION + 1];

    private static Layout layout(Version version) {
        Layout layout = LAYOUTS[version.getVersionNumber()];
        if (layout == null) {
            layout = new Layout(version);
            LAYOUTS[version.getVersionNumber()] = layout;
        }
        return layout;
    }

    /** The whole matrix for one mask: 1 is dark, 0 light. */
    private static byte[] layOut(byte[] codewords, Version version, ErrorCorrectionLevel level, int mask, int n) {
        Layout layout = layout(version);
        byte[] m = layout.base.clone();
        formatInfo(m, n, (level.getBits() << 3) | mask);
        byte[] pattern = layout.masks[mask];
        int[] cells = layout.dataCells;
        int totalBits = codewords.length * 8;
        for (int bit = 0; bit < cells.length; bit++) {
            int dark = bit < totalBits ? (codewords[bit >> 3] >>> (7 - (bit & 7))) & 1 : 0;
            m[cells[bit]] = (byte) (dark ^ pattern[cells[bit]]);
        }
        return m;
    }

    private static void finder(byte[] m, int n, int x0, int y0) {
        // The 7x7 pattern plus its light separator, clipped to the matrix.
        for (int dy = -1; dy <= 7; dy++) {
            for (int dx = -1; dx <= 7; dx++) {
                int x = x0 + dx;
                int y = y0 + dy;
                if (x < 0 || y < 0 || x >= n || y >= n) {
                    continue;
                }
                boolean inside = dx >= 0 && dx <= 6 && dy >= 0 && dy <= 6;
                boolean ring = dx == 0 || dx == 6 || dy == 0 || dy == 6;
                boolean core = dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4;
                m[y * n + x] = (byte) (inside && (ring || core) ? 1 : 0);
            }
        }
    }

    private static void alignment(byte[] m, int n, int cx, int cy) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                boolean dark = Math.max(Math.abs(dx), Math.abs(dy)) != 1;
                m[(cy + dy) * n + cx + dx] = (byte) (dark ? 1 : 0);
            }
        }
    }

    private static void formatInfo(byte[] m, int n, int data) {
        int info = ((data << 10) | bch(data, FORMAT_POLY)) ^ FORMAT_MASK;
        for (int i = 0; i < 15; i++) {
            byte bit = (byte) ((info >>> i) & 1);
            m[FORMAT_CELLS[i][1] * n + FORMAT_CELLS[i][0]] = bit;
            if (i < 8) {
                m[8 * n + (n - 1 - i)] = bit;
            } else {
                m[(n - 7 + (i - 8)) * n + 8] = bit;
            }
        }
    }

    private static void versionInfo(byte[] m, int n, int version) {
        if (version < 7) {
            return;
        }
        int info = (version << 12) | bch(version, VERSION_POLY);
        int k = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++, k++) {
                byte bit = (byte) ((info >>> k) & 1);
                m[(n - 11 + j) * n + i] = bit;
                m[i * n + (n - 11 + j)] = bit;
            }
        }
    }

    /** Remainder of {@code value * x^(degree of poly)} divided by {@code poly} over GF(2). */
    private static int bch(int value, int poly) {
        int degree = 31 - Integer.numberOfLeadingZeros(poly);
        int rest = value << degree;
        while (rest != 0 && 31 - Integer.numberOfLeadingZeros(rest) >= degree) {
            rest ^= poly << (31 - Integer.numberOfLeadingZeros(rest) - degree);
        }
        return rest;
    }

    /** The cells that carry data, in placement order: two-column strips, right to left, zigzag. */
    private static int[] dataOrder(byte[] m, int n) {
        int[] order = new int[n * n];
        int count = 0;
        boolean upward = true;
        for (int right = n - 1; right > 0; right -= 2) {
            if (right == 6) {
                right--;
            }
            for (int step = 0; step < n; step++) {
                int y = upward ? n - 1 - step : step;
                for (int c = 0; c < 2; c++) {
                    int cell = y * n + right - c;
                    if (m[cell] == -1) {
                        order[count++] = cell;
                    }
                }
            }
            upward = !upward;
        }
        return java.util.Arrays.copyOf(order, count);
    }
}
