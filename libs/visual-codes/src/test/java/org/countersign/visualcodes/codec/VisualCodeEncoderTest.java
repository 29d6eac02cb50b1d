package org.countersign.visualcodes.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import boofcv.alg.fiducial.qrcode.QrCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class VisualCodeEncoderTest {

    private static final String MESSAGE = "countersign://activate2?v=1&rid=r-1&iid=i-2&sn=SN-1&otp=totp:sha1:6:30&n=AbCd&c=é€";

    @Test
    void encode_colour_eachChannelHoldsItsPrefixedChunkAtOneVersion() throws Exception {
        byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
        BufferedImage image = png(VisualCodeEncoder.encode(message, CodeFormat.COLOUR, Ecc.Q, 4), 4);
        byte[][] chunks = ColourChunks.split(message);
        int[] shifts = {16, 8, 0};
        int version = -1;
        for (int i = 0; i < 3; i++) {
            List<QrCode> found = BoofQrReader.read(image, shifts[i]);
            assertEquals(1, found.size(), "channel " + i);
            QrCode code = found.get(0);
            byte[] payload = code.message.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(new String(ColourChunks.symbolPayload(i, chunks[i]), StandardCharsets.ISO_8859_1),
                    new String(payload, StandardCharsets.ISO_8859_1));
            assertEquals(QrCode.ErrorLevel.Q, code.error);
            assertEquals(QrCode.Mode.BYTE, code.mode);
            if (version == -1) {
                version = code.version;
            }
            assertEquals(version, code.version, "every symbol has the same version");
        }
    }

    @Test
    void encode_colour_quietZoneIsWhiteAndOnlyEightColoursAppear() throws Exception {
        ModuleGrid grid = VisualCodeEncoder.encode("abcdefgh".getBytes(StandardCharsets.UTF_8), CodeFormat.COLOUR, Ecc.M, 4);
        assertEquals(8, grid.paletteSize());
        for (int i = 0; i < grid.side(); i++) {
            for (int q = 0; q < 4; q++) {
                assertEquals(0xFFFFFF, grid.rgb(grid.paletteIndex(i, q)));
                assertEquals(0xFFFFFF, grid.rgb(grid.paletteIndex(q, i)));
                assertEquals(0xFFFFFF, grid.rgb(grid.paletteIndex(i, grid.side() - 1 - q)));
                assertEquals(0xFFFFFF, grid.rgb(grid.paletteIndex(grid.side() - 1 - q, i)));
            }
        }
        // The top-left finder is dark in every symbol, so black; the module inside its ring is white.
        assertEquals(0x000000, grid.rgb(grid.paletteIndex(4, 4)));
        assertEquals(0xFFFFFF, grid.rgb(grid.paletteIndex(5, 5)));
    }

    @Test
    void maxBytes_perFormatAndLevel() {
        assertEquals(2953, VisualCodeEncoder.maxBytes(CodeFormat.QR, Ecc.L));
        assertEquals(1273, VisualCodeEncoder.maxBytes(CodeFormat.QR, Ecc.H));
        assertEquals(3 * (2331 - 6), VisualCodeEncoder.maxBytes(CodeFormat.COLOUR, Ecc.M));
    }

    @Test
    void encode_oneByteOverMax_refusedWithMax() {
        for (CodeFormat format : CodeFormat.values()) {
            int max = VisualCodeEncoder.maxBytes(format, Ecc.H);
            assertTrue(encodes(new byte[max], format));
            MessageLengthException e = assertThrows(MessageLengthException.class,
                    () -> VisualCodeEncoder.encode(new byte[max + 1], format, Ecc.H, 4));
            assertTrue(e.tooLong());
            assertEquals(max, e.maxBytes());
        }
    }

    @Test
    void encode_colourUnderThreeBytes_refused() {
        MessageLengthException e = assertThrows(MessageLengthException.class,
                () -> VisualCodeEncoder.encode(new byte[2], CodeFormat.COLOUR, Ecc.M, 4));
        assertFalse(e.tooLong());
        assertEquals(3, e.minBytes());
        assertTrue(encodes(new byte[1], CodeFormat.QR));
        assertThrows(MessageLengthException.class, () -> VisualCodeEncoder.encode(new byte[0], CodeFormat.QR, Ecc.M, 4));
    }

    @Test
    void png_sizeNotAMultiple_exactSizeWithWiderQuietZone() throws Exception {
        ModuleGrid grid = VisualCodeEncoder.encode("hello".getBytes(StandardCharsets.UTF_8), CodeFormat.QR, Ecc.M, 4);
        int size = grid.side() * 3 + 2;
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(PngWriter.write(grid, size)));
        assertEquals(size, image.getWidth());
        assertEquals(size, image.getHeight());
        // 1 px of extra margin, then 4 modules of 3 px of quiet zone: the finder starts at pixel 13.
        assertEquals(0xFFFFFF, image.getRGB(12, 12) & 0xFFFFFF);
        assertEquals(0x000000, image.getRGB(13, 13) & 0xFFFFFF);
        assertThrows(ImageSizeException.class, () -> PngWriter.write(grid, grid.side() - 1));
    }

    private static boolean encodes(byte[] message, CodeFormat format) {
        try {
            VisualCodeEncoder.encode(message, format, Ecc.H, 4);
            return true;
        } catch (MessageLengthException e) {
            return false;
        }
    }

    private static BufferedImage png(ModuleGrid grid, int modulePixels) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(PngWriter.write(grid, grid.side() * modulePixels)));
    }
}
