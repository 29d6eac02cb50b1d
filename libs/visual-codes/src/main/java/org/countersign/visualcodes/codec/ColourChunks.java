package org.countersign.visualcodes.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a colour code shares its message between its three symbols (protocol.md, "Colour code"):
 * three consecutive non-empty byte chunks, the first {@code len mod 3} of them one byte longer, each
 * behind the prefix {@code "CC" + i + "/3:"}. A chunk may end inside a UTF-8 character.
 */
public final class ColourChunks {

    public static final int SYMBOLS = 3;
    public static final int MIN_MESSAGE_BYTES = SYMBOLS;

    private ColourChunks() {
    }

    public static byte[][] split(byte[] message) {
        if (message.length < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("A colour code needs at least " + MIN_MESSAGE_BYTES + " bytes");
        }
        int q = message.length / SYMBOLS;
        int r = message.length % SYMBOLS;
        byte[][] chunks = new byte[SYMBOLS][];
        int from = 0;
        for (int i = 0; i < SYMBOLS; i++) {
            int length = i < r ? q + 1 : q;
            chunks[i] = Arrays.copyOfRange(message, from, from + length);
            from += length;
        }
        return chunks;
    }

    /** The bytes symbol {@code index} (0-based) carries: its prefix, then its chunk. */
    public static byte[] symbolPayload(int index, byte[] chunk) {
        byte[] prefix = prefix(index);
        byte[] payload = Arrays.copyOf(prefix, prefix.length + chunk.length);
        System.arraycopy(chunk, 0, payload, prefix.length, chunk.length);
        return payload;
    }

    /** The chunk of a symbol's payload, or null when the payload lacks the prefix of symbol {@code index}. */
    public static byte[] chunkOf(int index, byte[] payload) {
        byte[] prefix = prefix(index);
        if (payload.length < prefix.length || !Arrays.equals(prefix, Arrays.copyOf(payload, prefix.length))) {
            return null;
        }
        return Arrays.copyOfRange(payload, prefix.length, payload.length);
    }

    public static byte[] join(byte[][] chunks) {
        int length = 0;
        for (byte[] chunk : chunks) {
            length += chunk.length;
        }
        byte[] message = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, message, at, chunk.length);
            at += chunk.length;
        }
        return message;
    }

    public static int prefixLength() {
        return prefix(0).length;
    }

    private static byte[] prefix(int index) {
        return ("CC" + (index + 1) + "/" + SYMBOLS + ":").getBytes(StandardCharsets.US_ASCII);
    }
}
