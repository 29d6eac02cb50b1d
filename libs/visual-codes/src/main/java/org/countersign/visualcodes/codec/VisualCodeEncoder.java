package org.countersign.visualcodes.codec;

import org.countersign.visualcodes.codec.internal.QrSymbol;

/**
 * Turns a message into a {@link ModuleGrid}. Every symbol holds its bytes in one byte-mode segment
 * without ECI; a QR message is its UTF-8 bytes. Stateless and thread-safe.
 */
public final class VisualCodeEncoder {

    /** The quiet zone protocol.md and ISO/IEC 18004 ask for, in modules. */
    public static final int MIN_QUIET_ZONE = 4;

    private static final int WHITE = 0xFFFFFF;
    private static final int[] QR_PALETTE = {WHITE, 0x000000};
    /** Index bit 4 means red is dark (0), 2 green, 1 blue; index 0 is white. */
    private static final int[] COLOUR_PALETTE = new int[8];

    static {
        for (int i = 0; i < 8; i++) {
            int r = (i & 4) != 0 ? 0 : 0xFF;
            int g = (i & 2) != 0 ? 0 : 0xFF;
            int b = (i & 1) != 0 ? 0 : 0xFF;
            COLOUR_PALETTE[i] = r << 16 | g << 8 | b;
        }
    }

    private VisualCodeEncoder() {
    }

    /** The most message bytes a format holds at a level. */
    public static int maxBytes(CodeFormat format, Ecc ecc) {
        int symbol = QrSymbol.capacity(QrSymbol.MAX_VERSION, ecc.level());
        return format == CodeFormat.QR ? symbol : ColourChunks.SYMBOLS * (symbol - ColourChunks.prefixLength());
    }

    public static int minBytes(CodeFormat format) {
        return format == CodeFormat.QR ? 1 : ColourChunks.MIN_MESSAGE_BYTES;
    }

    public static ModuleGrid encode(byte[] message, CodeFormat format, Ecc ecc, int quietZone)
            throws MessageLengthException {
        if (quietZone < MIN_QUIET_ZONE) {
            throw new IllegalArgumentException("The quiet zone must be at least " + MIN_QUIET_ZONE + " modules");
        }
        if (message.length < minBytes(format) || message.length > maxBytes(format, ecc)) {
            throw new MessageLengthException(minBytes(format), maxBytes(format, ecc), message.length);
        }
        if (format == CodeFormat.QR) {
            QrSymbol symbol = QrSymbol.encode(message, ecc.level(),
                    QrSymbol.smallestVersion(message.length, ecc.level()));
            return grid(new QrSymbol[] {symbol}, quietZone, QR_PALETTE);
        }
        byte[][] payloads = new byte[ColourChunks.SYMBOLS][];
        byte[][] chunks = ColourChunks.split(message);
        int longest = 0;
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = ColourChunks.symbolPayload(i, chunks[i]);
            longest = Math.max(longest, payloads[i].length);
        }
        int version = QrSymbol.smallestVersion(longest, ecc.level());
        QrSymbol[] symbols = new QrSymbol[payloads.length];
        for (int i = 0; i < payloads.length; i++) {
            symbols[i] = QrSymbol.encode(payloads[i], ecc.level(), version);
        }
        return grid(symbols, quietZone, COLOUR_PALETTE);
    }

    /** With one symbol, index 1 is dark; with three, symbol i sets bit (4 >> i) of the index. */
    private static ModuleGrid grid(QrSymbol[] symbols, int quietZone, int[] palette) {
        int dimension = symbols[0].dimension();
        int side = dimension + 2 * quietZone;
        byte[] cells = new byte[side * side];
        for (int y = 0; y < dimension; y++) {
            for (int x = 0; x < dimension; x++) {
                int index = 0;
                for (int i = 0; i < symbols.length; i++) {
                    if (symbols[i].isDark(x, y)) {
                        index |= symbols.length == 1 ? 1 : 4 >> i;
                    }
                }
                cells[(y + quietZone) * side + x + quietZone] = (byte) index;
            }
        }
        return new ModuleGrid(side, cells, palette);
    }
}
