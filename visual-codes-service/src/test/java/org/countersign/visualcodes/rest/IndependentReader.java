package org.countersign.visualcodes.rest;

import boofcv.abst.fiducial.QrCodeDetector;
import boofcv.alg.fiducial.qrcode.QrCode;
import boofcv.factory.fiducial.ConfigQrCode;
import boofcv.factory.fiducial.FactoryFiducial;
import boofcv.struct.image.GrayU8;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads our images with BoofCV, which shares no code with ZXing or with our encoder, and applies the
 * colour-code rule of protocol.md on its own: channel by channel, prefix checked, chunks joined as bytes.
 */
final class IndependentReader {

    private static final int[] SHIFTS = {16, 8, 0};

    private IndependentReader() {
    }

    static String readQr(BufferedImage image) {
        return new String(onlySymbol(image, 8).message.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String readColour(BufferedImage image) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int version = -1;
        for (int i = 0; i < 3; i++) {
            QrCode symbol = onlySymbol(image, SHIFTS[i]);
            byte[] payload = symbol.message.getBytes(StandardCharsets.ISO_8859_1);
            String prefix = "CC" + (i + 1) + "/3:";
            if (!new String(payload, 0, Math.min(6, payload.length), StandardCharsets.ISO_8859_1).equals(prefix)) {
                throw new AssertionError("channel " + i + " lacks " + prefix);
            }
            if (version != -1 && symbol.version != version) {
                throw new AssertionError("channel " + i + " is version " + symbol.version + ", not " + version);
            }
            version = symbol.version;
            message.write(payload, 6, payload.length - 6);
        }
        return message.toString(StandardCharsets.UTF_8);
    }

    static QrCode onlySymbol(BufferedImage image, int shift) {
        List<QrCode> found = read(image, shift);
        if (found.size() != 1) {
            throw new AssertionError("BoofCV found " + found.size() + " symbols in channel >> " + shift);
        }
        return found.get(0);
    }

    private static List<QrCode> read(BufferedImage image, int shift) {
        GrayU8 grey = new GrayU8(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                grey.set(x, y, image.getRGB(x, y) >> shift & 0xFF);
            }
        }
        ConfigQrCode config = new ConfigQrCode();
        config.forceEncoding = "ISO-8859-1";
        QrCodeDetector<GrayU8> detector = FactoryFiducial.qrcode(config, GrayU8.class);
        detector.process(grey);
        return List.copyOf(detector.getDetections());
    }
}
