package org.countersign.visualcodes.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.web.ProblemException;

/**
 * What an upload's header says about the image, read from the bytes before any decoder sees them:
 * the PNG IHDR chunk, or a JPEG's start-of-frame segment. Only kinds a phone or a screenshot
 * produces pass: PNG of up to 8 bits per sample (any colour type), baseline or progressive 8-bit
 * JPEG in grey or YCbCr. Anything else (16-bit PNG, 12-bit, lossless, arithmetic-coded or CMYK
 * JPEG) is refused as {@code unsupported-image}. For a JPEG the segments after the frame are walked
 * too, to count its scans: each scan of a progressive JPEG is one more pass of the decoder over the
 * whole image, and nothing else bounds how many a file of a few kilobytes holds.
 *
 * @param format {@code png} or {@code jpeg}, the ImageIO format name
 * @param scans a JPEG's start-of-scan segments up to its end-of-image (0 for a PNG)
 */
record ImageHeader(String format, int width, int height, int scans) {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final int IHDR = 0x49484452;

    long pixels() {
        return (long) width * height;
    }

    static ImageHeader of(byte[] bytes) {
        if (startsWith(bytes, PNG_MAGIC)) {
            return png(ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN));
        }
        if (startsWith(bytes, JPEG_MAGIC)) {
            return jpeg(ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN));
        }
        throw new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The upload is not a PNG or JPEG image");
    }

    /** PNG: the IHDR chunk must come first (PNG spec 5.6), 13 bytes long. */
    private static ImageHeader png(ByteBuffer in) {
        if (in.limit() < 8 + 8 + 13 || in.getInt(8) != 13 || in.getInt(12) != IHDR) {
            throw damaged("PNG");
        }
        long width = Integer.toUnsignedLong(in.getInt(16));
        long height = Integer.toUnsignedLong(in.getInt(20));
        int bitDepth = in.get(24) & 0xFF;
        int colourType = in.get(25) & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw damaged("PNG");
        }
        boolean valid = switch (colourType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
        if (!valid) {
            throw damaged("PNG");
        }
        if (bitDepth > 8) {
            throw new ProblemException(VisualCodeProblem.UNSUPPORTED_IMAGE,
                    "The PNG has " + bitDepth + " bits per sample; the decoder reads images of up to 8");
        }
        return new ImageHeader("png", (int) width, (int) height, 0);
    }

    /** JPEG: walks the marker segments up to the first start-of-frame. */
    private static ImageHeader jpeg(ByteBuffer in) {
        int position = 2;
        while (position + 4 <= in.limit()) {
            if ((in.get(position) & 0xFF) != 0xFF) {
                throw damaged("JPEG");
            }
            int marker = in.get(position + 1) & 0xFF;
            if (marker == 0xFF) {
                position++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                position += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break;
            }
            int length = in.getShort(position + 2) & 0xFFFF;
            if (length < 2) {
                throw damaged("JPEG");
            }
            if (isStartOfFrame(marker)) {
                ImageHeader frame = frame(in, position + 4, marker);
                return new ImageHeader("jpeg", frame.width(), frame.height(), scans(in, position + 2 + length));
            }
            position += 2 + length;
        }
        throw damaged("JPEG");
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader frame(ByteBuffer in, int at, int marker) {
        if (at + 6 > in.limit()) {
            throw damaged("JPEG");
        }
        int precision = in.get(at) & 0xFF;
        int height = in.getShort(at + 1) & 0xFFFF;
        int width = in.getShort(at + 3) & 0xFFFF;
        int components = in.get(at + 5) & 0xFF;
        // SOF0 baseline, SOF1 extended sequential, SOF2 progressive: Huffman-coded, what cameras write.
        if (marker > 0xC2) {
            throw new ProblemException(VisualCodeProblem.UNSUPPORTED_IMAGE,
                    "The JPEG is lossless, hierarchical or arithmetic-coded; the decoder reads baseline and progressive JPEG");
        }
        if (precision != 8) {
            throw new ProblemException(VisualCodeProblem.UNSUPPORTED_IMAGE,
                    "The JPEG has " + precision + " bits per sample; the decoder reads 8");
        }
        if (components != 1 && components != 3) {
            throw new ProblemException(VisualCodeProblem.UNSUPPORTED_IMAGE,
                    "The JPEG has " + components + " colour components; the decoder reads grey and colour (YCbCr) JPEG");
        }
        if (width == 0 || height == 0) {
            // A height of 0 means "given later in a DNL marker", which no camera writes.
            throw damaged("JPEG");
        }
        return new ImageHeader("jpeg", width, height, 0);
    }

    /**
     * The start-of-scan segments from {@code position} to the end-of-image: marker segments are
     * skipped by their length, a scan's entropy-coded data up to the next marker (0xFF followed by
     * neither a stuffed 0x00 nor a restart marker). Damage ends the count; the decoder reports it.
     */
    private static int scans(ByteBuffer in, int position) {
        int scans = 0;
        int limit = in.limit();
        while (position + 2 <= limit && (in.get(position) & 0xFF) == 0xFF) {
            int marker = in.get(position + 1) & 0xFF;
            if (marker == 0xFF) {
                position++;
                continue;
            }
            if (marker == 0xD9) {
                break;
            }
            if (marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                position += 2;
                continue;
            }
            if (position + 4 > limit) {
                break;
            }
            int length = in.getShort(position + 2) & 0xFFFF;
            if (length < 2) {
                break;
            }
            position += 2 + length;
            if (marker == 0xDA) {
                scans++;
                position = endOfEntropyCodedData(in, position);
            }
        }
        return scans;
    }

    private static int endOfEntropyCodedData(ByteBuffer in, int position) {
        int limit = in.limit();
        while (position + 1 < limit) {
            if ((in.get(position) & 0xFF) != 0xFF) {
                position++;
                continue;
            }
            int next = in.get(position + 1) & 0xFF;
            if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
                position += 2;
            } else if (next == 0xFF) {
                position++;
            } else {
                return position;
            }
        }
        return limit;
    }

    private static ProblemException damaged(String format) {
        return new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The " + format + " image is damaged or of a kind"
                + " that cannot be read");
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
