package org.countersign.visualcodes.service;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.web.ProblemException;

/**
 * Reads an uploaded PNG or JPEG. The bytes decide the format, so nothing else ImageIO knows (BMP,
 * GIF, TIFF...) is ever parsed; the pixel count is checked from the header before any pixel is
 * decoded, so a small file that claims a huge image cannot exhaust memory.
 */
final class UploadedImages {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    static {
        // No temporary files for uploads: they are small and held in memory anyway.
        ImageIO.setUseCache(false);
    }

    private UploadedImages() {
    }

    static BufferedImage read(byte[] bytes, long maxPixels) {
        String format = startsWith(bytes, PNG_MAGIC) ? "png" : startsWith(bytes, JPEG_MAGIC) ? "jpeg" : null;
        if (format == null) {
            throw new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The upload is not a PNG or JPEG image");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > maxPixels) {
                throw new ProblemException(VisualCodeProblem.IMAGE_TOO_LARGE,
                        "The image has " + pixels + " pixels; at most " + maxPixels + " are decoded");
            }
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException problem) {
                throw problem;
            }
            // ImageIO reports a damaged file with IIOException or, for some damage, a runtime exception.
            throw new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The " + format.toUpperCase(java.util.Locale.ROOT)
                    + " image is damaged or of a kind that cannot be read");
        } finally {
            reader.dispose();
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
