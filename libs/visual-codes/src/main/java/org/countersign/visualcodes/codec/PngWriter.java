package org.countersign.visualcodes.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a {@link ModuleGrid} as an indexed-colour PNG of exactly {@code size} x {@code size}
 * pixels: whole pixels per module, and whatever does not divide evenly widens the quiet zone. We
 * write the PNG ourselves because ImageIO's writer is several times slower for these images, and
 * rendering speed is what the service sells.
 */
public final class PngWriter {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int FILTER_NONE = 0;
    private static final int FILTER_UP = 2;

    private PngWriter() {
    }

    /** Pixels per module for an image of {@code size} pixels, at least 1. */
    public static int modulePixels(ModuleGrid grid, int size) throws ImageSizeException {
        int modulePixels = size / grid.side();
        if (modulePixels < 1) {
            throw new ImageSizeException(grid.side());
        }
        return modulePixels;
    }

    public static byte[] write(ModuleGrid grid, int size) throws ImageSizeException {
        int modulePixels = modulePixels(grid, size);
        int offset = (size - modulePixels * grid.side()) / 2;
        int bitDepth = grid.paletteSize() <= 2 ? 1 : grid.paletteSize() <= 4 ? 2 : 4;
        int rowBytes = (size * bitDepth + 7) / 8;
        byte[] raw = new byte[(rowBytes + 1) * size];
        byte[] row = new byte[rowBytes];
        int background = grid.backgroundIndex();
        for (int y = 0; y < size; y++) {
            int moduleY = Math.floorDiv(y - offset, modulePixels);
            boolean firstOfModuleRow = y == 0 || Math.floorDiv(y - 1 - offset, modulePixels) != moduleY;
            int at = y * (rowBytes + 1);
            if (!firstOfModuleRow) {
                // The same pixels as the row above: the Up filter makes it all zeros, cheap to deflate.
                raw[at] = FILTER_UP;
                continue;
            }
            java.util.Arrays.fill(row, (byte) 0);
            for (int x = 0; x < size; x++) {
                int moduleX = Math.floorDiv(x - offset, modulePixels);
                int index = moduleY < 0 || moduleX < 0 || moduleY >= grid.side() || moduleX >= grid.side()
                        ? background : grid.paletteIndex(moduleX, moduleY);
                int bit = x * bitDepth;
                row[bit >> 3] |= (byte) (index << (8 - bitDepth - (bit & 7)));
            }
            raw[at] = FILTER_NONE;
            System.arraycopy(row, 0, raw, at + 1, rowBytes);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + raw.length / 16);
        out.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, size);
        putInt(header, 4, size);
        header[8] = (byte) bitDepth;
        header[9] = 3;
        chunk(out, "IHDR", header);
        byte[] palette = new byte[grid.paletteSize() * 3];
        for (int i = 0; i < grid.paletteSize(); i++) {
            int rgb = grid.rgb(i);
            palette[i * 3] = (byte) (rgb >> 16);
            palette[i * 3 + 1] = (byte) (rgb >> 8);
            palette[i * 3 + 2] = (byte) rgb;
        }
        chunk(out, "PLTE", palette);
        chunk(out, "IDAT", deflate(raw));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 16 + 64);
            byte[] buffer = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        out.writeBytes(length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] crcBytes = new byte[4];
        putInt(crcBytes, 0, (int) crc.getValue());
        out.writeBytes(crcBytes);
    }

    private static void putInt(byte[] target, int at, int value) {
        target[at] = (byte) (value >>> 24);
        target[at + 1] = (byte) (value >>> 16);
        target[at + 2] = (byte) (value >>> 8);
        target[at + 3] = (byte) value;
    }
}
