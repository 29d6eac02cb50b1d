package org.countersign.visualcodes.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ColourChunksTest {

    private static int[] lengths(byte[][] chunks) {
        return Arrays.stream(chunks).mapToInt(c -> c.length).toArray();
    }

    @Test
    void split_fourBytes_twoOneOne() {
        byte[][] chunks = ColourChunks.split("abcd".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {2, 1, 1}, lengths(chunks));
        assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8), chunks[0]);
        assertArrayEquals("c".getBytes(StandardCharsets.UTF_8), chunks[1]);
        assertArrayEquals("d".getBytes(StandardCharsets.UTF_8), chunks[2]);
    }

    @Test
    void split_sevenBytes_threeTwoTwo() {
        byte[][] chunks = ColourChunks.split("abcdefg".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {3, 2, 2}, lengths(chunks));
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), chunks[0]);
        assertArrayEquals("fg".getBytes(StandardCharsets.UTF_8), chunks[2]);
    }

    @Test
    void split_multipleOfThree_equalChunks() {
        assertArrayEquals(new int[] {1, 1, 1}, lengths(ColourChunks.split(new byte[3])));
        assertArrayEquals(new int[] {4, 4, 4}, lengths(ColourChunks.split(new byte[12])));
    }

    @Test
    void split_underThreeBytes_refused() {
        assertThrows(IllegalArgumentException.class, () -> ColourChunks.split(new byte[2]));
    }

    @Test
    void split_insideUtf8Character_chunksAreBytesAndJoinBack() {
        // "€" is three bytes; "a€" (4 bytes) splits 2, 1, 1, cutting the euro sign in every chunk.
        byte[] message = "a€".getBytes(StandardCharsets.UTF_8);
        byte[][] chunks = ColourChunks.split(message);
        assertArrayEquals(new int[] {2, 1, 1}, lengths(chunks));
        assertEquals((byte) 0xE2, chunks[0][1]);
        assertEquals("a€", new String(ColourChunks.join(chunks), StandardCharsets.UTF_8));
    }

    @Test
    void symbolPayload_prefixesEachChunkWithItsIndex() {
        byte[] payload = ColourChunks.symbolPayload(1, "xy".getBytes(StandardCharsets.US_ASCII));
        assertEquals("CC2/3:xy", new String(payload, StandardCharsets.US_ASCII));
        assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), ColourChunks.chunkOf(1, payload));
    }

    @Test
    void chunkOf_wrongPrefix_null() {
        byte[] payload = ColourChunks.symbolPayload(0, "xy".getBytes(StandardCharsets.US_ASCII));
        assertNull(ColourChunks.chunkOf(2, payload));
        assertNull(ColourChunks.chunkOf(0, "CC1".getBytes(StandardCharsets.US_ASCII)));
    }
}
