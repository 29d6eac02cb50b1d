package org.countersign.visualcodes.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subsampling step keeps what is decoded, ceil(w / step) x ceil(h / step), within the bound. */
class UploadedImagesTest {

    private static final long DECODE_PIXELS = 4_194_304;

    @ParameterizedTest(name = "{0} x {1} -> step {2}")
    @CsvSource({
            "2048, 2048, 1",
            "2049, 2048, 2",
            "3999, 4000, 2",
            "8192, 1953, 2",
            // A strip does not shrink in height: every 2nd pixel of a 16,000,000 x 1 row is 8 Mpx, twice the bound.
            "16000000, 1, 4",
            "1, 16000000, 4",
            "8192, 1, 1",
            // 4095 x 4097 is within 4 x the bound, but 2048 x 2049 (odd sides round up) is not.
            "4095, 4097, 3"})
    void subsampledImage_withinTheDecodePixels(int width, int height, int step) {
        assertEquals(step, UploadedImages.subsampling(width, height, DECODE_PIXELS));
        long decoded = ceil(width, step) * ceil(height, step);
        assertTrue(decoded <= DECODE_PIXELS, decoded + " pixels decoded");
        if (step > 1) {
            assertTrue(ceil(width, step - 1) * ceil(height, step - 1) > DECODE_PIXELS, "the smallest step");
        }
    }

    private static long ceil(long side, long step) {
        return (side + step - 1) / step;
    }
}
