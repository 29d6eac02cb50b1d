package org.countersign.visualcodes.rest;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Images made to hurt a decoder, written byte by byte (ImageIO would refuse to write most of them):
 * small files that claim or hold far more than they weigh.
 */
final class HostileImages {

    private HostileImages() {
    }

    /**
     * A well-formed PNG of {@code width} x {@code height}, every row zero: it compresses about
     * 1000:1, so 4000 x 4000 RGBA at 16 bits (128 MB of pixels) is a file of about 125 KB.
     *
     * @param colourType 0 grey, 2 RGB, 6 RGBA (PNG spec 11.2.2)
     */
    static byte[] png(int width, int height, int bitDepth, int colourType) {
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("colour type " + colourType);
        };
        long rowBytes = ((long) width * channels * bitDepth + 7) / 8;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", deflatedZeros((rowBytes + 1) * height));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A small, valid greyscale PNG carrying a zTXt chunk that inflates to {@code bombBytes}. */
    static byte[] pngWithTextBomb(long bombBytes) {
        byte[] image = png(200, 200, 8, 0);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
        text.write(0);
        text.write(0);
        text.writeBytes(deflatedZeros(bombBytes));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        int ihdrEnd = 8 + 12 + 13;
        png.write(image, 0, ihdrEnd);
        chunk(png, "zTXt", text.toByteArray());
        png.write(image, ihdrEnd, image.length - ihdrEnd);
        return png.toByteArray();
    }

    /**
     * The start of a JPEG: SOI and a start-of-frame segment, then EOI; enough for any decoder to
     * learn the size and kind, and to refuse or try to allocate it.
     *
     * @param sof the frame marker's low byte (0xC0 baseline, 0xC2 progressive, 0xC3 lossless, 0xC9 arithmetic)
     */
    static byte[] jpegHeader(int sof, int precision, int width, int height, int components) {
        ByteBuffer jpeg = ByteBuffer.allocate(2 + 4 + 6 + 3 * components + 2);
        jpeg.put((byte) 0xFF).put((byte) 0xD8);
        jpeg.put((byte) 0xFF).put((byte) sof).putShort((short) (8 + 3 * components));
        jpeg.put((byte) precision).putShort((short) height).putShort((short) width).put((byte) components);
        for (int c = 1; c <= components; c++) {
            jpeg.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        jpeg.put((byte) 0xFF).put((byte) 0xD9);
        return jpeg.array();
    }

    /**
     * {@code image} as a progressive JPEG (libjpeg's default progression: 10 scans in colour) whose
     * first scan, the DC one, is repeated until the file holds {@code scans} scans. Each copy decodes
     * to the same coefficients (libjpeg only warns about the repeated progression), so the file reads
     * as the same picture; each costs the decoder one more pass over the whole image.
     */
    static byte[] progressiveJpeg(BufferedImage image, int scans) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        List<int[]> found = scans(jpeg);
        if (found.isEmpty() || found.size() > scans) {
            throw new IllegalStateException(found.size() + " scans written");
        }
        int[] first = found.get(0);
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        padded.write(jpeg, 0, first[1]);
        for (int i = found.size(); i < scans; i++) {
            padded.write(jpeg, first[0], first[1] - first[0]);
        }
        padded.write(jpeg, first[1], jpeg.length - first[1]);
        return padded.toByteArray();
    }

    /** Where each scan of a JPEG starts (its SOS marker) and ends (the marker after its entropy-coded data). */
    static List<int[]> scans(byte[] jpeg) {
        List<int[]> scans = new ArrayList<>();
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xD9) {
                break;
            }
            int end = at + 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
            if (marker == 0xDA) {
                while (end + 1 < jpeg.length && !((jpeg[end] & 0xFF) == 0xFF && jpeg[end + 1] != 0
                        && ((jpeg[end + 1] & 0xFF) < 0xD0 || (jpeg[end + 1] & 0xFF) > 0xD7))) {
                    end++;
                }
                scans.add(new int[] {at, end});
            }
            at = end;
        }
        return scans;
    }

    private static byte[] deflatedZeros(long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 16];
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            for (long left = length; left > 0; left -= zeros.length) {
                deflate.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
