package org.countersign.visualcodes.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.Ecc;
import org.countersign.visualcodes.domain.OutputType;

/** Defaults and limits of the visual-codes-service; each key is also COUNTERSIGN_VISUAL_CODES_... */
@ConfigMapping(prefix = "countersign.visual-codes")
public interface VisualCodesConfig {

    /** What a render request that leaves a field out gets. */
    Defaults defaults();

    /** The image sizes a caller may ask for. */
    Size size();

    /** The largest quiet zone, in modules ({@code countersign.visual-codes.max-margin}); the smallest is always 4. */
    @WithDefault("16")
    int maxMargin();

    /** Images sent to the decoder. */
    Upload upload();

    interface Defaults {
        /** {@code qr} or {@code colour} ({@code countersign.visual-codes.defaults.format}). */
        @WithDefault("qr")
        CodeFormat format();

        /** {@code png} or {@code svg} ({@code countersign.visual-codes.defaults.output}). */
        @WithDefault("png")
        OutputType output();

        /** Width and height of the image in pixels ({@code countersign.visual-codes.defaults.size}). */
        @WithDefault("400")
        int size();

        /** Error-correction level L, M, Q or H ({@code countersign.visual-codes.defaults.ecc}). */
        @WithDefault("M")
        Ecc ecc();

        /** Quiet zone in modules ({@code countersign.visual-codes.defaults.margin}). */
        @WithDefault("4")
        int margin();
    }

    interface Size {
        /** Smallest image side in pixels ({@code countersign.visual-codes.size.min}). */
        @WithDefault("64")
        int min();

        /** Largest image side in pixels ({@code countersign.visual-codes.size.max}). */
        @WithDefault("4096")
        int max();
    }

    interface Upload {
        /**
         * Largest upload in bytes ({@code countersign.visual-codes.upload.max-size}); application.properties
         * also sets {@code quarkus.http.limits.max-body-size} from it.
         */
        @WithDefault("4M")
        MemorySize maxSize();

        /**
         * Largest image accepted, width times height ({@code countersign.visual-codes.upload.max-pixels}),
         * checked from the header before anything is decoded.
         */
        @WithDefault("16000000")
        long maxPixels();

        /**
         * Longest side accepted, width or height ({@code countersign.visual-codes.upload.max-side}), checked
         * from the header with {@link #maxPixels()}: a strip such as 16,000,000 x 1 is within the pixel count
         * but makes the PNG reader hold rows of tens of megabytes; no photo of a code needs more.
         */
        @WithDefault("8192")
        int maxSide();

        /**
         * Most scans in a JPEG ({@code countersign.visual-codes.upload.max-jpeg-scans}), counted from its
         * segments before anything is decoded: each scan of a progressive JPEG is one more pass over the
         * whole image. Cameras and encoders write about 10 (libjpeg's progressive default: 10 in colour, 6 in grey).
         */
        @WithDefault("64")
        int maxJpegScans();

        /**
         * Pixels actually decoded ({@code countersign.visual-codes.upload.decode-pixels}): a larger image
         * is subsampled while it is decoded (every 2nd, 3rd... pixel), so that one decode holds about
         * 14 bytes per pixel of this, whatever the upload.
         */
        @WithDefault("4194304")
        long decodePixels();

        /** Decodes at once ({@code countersign.visual-codes.upload.max-concurrent-decodes}); the rest wait. */
        @WithDefault("2")
        int maxConcurrentDecodes();

        /**
         * How long a decode waits for its turn ({@code countersign.visual-codes.upload.queue-timeout})
         * before the answer is 503 with Retry-After.
         */
        @WithDefault("2s")
        java.time.Duration queueTimeout();
    }
}
