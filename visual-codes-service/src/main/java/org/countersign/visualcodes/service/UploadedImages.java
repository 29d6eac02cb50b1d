package org.countersign.visualcodes.service;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.web.ProblemException;

/**
 * Reads an uploaded PNG or JPEG whose {@link ImageHeader} passed. The bytes decide the format, so
 * nothing else ImageIO knows (BMP, GIF, TIFF...) is ever parsed; an image of more than
 * {@code decodePixels} is subsampled while it is decoded, so that memory stays bounded whatever
 * the upload claims; metadata (text and ICC chunks, which can be compressed bombs) is never read.
 */
final class UploadedImages {

    static {
        // No temporary files for uploads: they are small and held in memory anyway.
        ImageIO.setUseCache(false);
    }

    private UploadedImages() {
    }

    static BufferedImage read(byte[] bytes, ImageHeader header, long decodePixels) {
        ImageReader reader = ImageIO.getImageReadersByFormatName(header.format()).next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            if (reader.getWidth(0) != header.width() || reader.getHeight(0) != header.height()) {
                throw new IOException("the decoder disagrees with the header");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(header.width(), header.height(), decodePixels);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            return reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            // ImageIO reports a damaged file with IIOException or, for some damage, a runtime exception.
            throw new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The " + header.format().toUpperCase(java.util.Locale.ROOT)
                    + " image is damaged or of a kind that cannot be read");
        } finally {
            reader.dispose();
        }
    }

    /**
     * The smallest step such that every step-th pixel of every step-th row, ceil(width / step) x
     * ceil(height / step) pixels, is within {@code target}. (Dividing the pixel count by step squared
     * is not enough: a strip only 1 pixel high does not shrink in height, so it would keep twice
     * the target.)
     */
    static int subsampling(int width, int height, long target) {
        int step = 1;
        while (subsampled(width, step) * subsampled(height, step) > target) {
            step++;
        }
        return step;
    }

    private static long subsampled(int side, int step) {
        return (side + (long) step - 1) / step;
    }
}
