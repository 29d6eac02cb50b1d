package org.countersign.visualcodes.codec;

import boofcv.abst.fiducial.QrCodeDetector;
import boofcv.alg.fiducial.qrcode.QrCode;
import boofcv.factory.fiducial.ConfigQrCode;
import boofcv.factory.fiducial.FactoryFiducial;
import boofcv.struct.image.GrayU8;
import java.awt.image.BufferedImage;
import java.util.List;

/** BoofCV's QR reader, which shares no code with ZXing: the independent side of every round trip. */
final class BoofQrReader {

    private BoofQrReader() {
    }

    /** The symbols found in one channel (16 red, 8 green, 0 blue) of an image; bytes come back as chars. */
    static List<QrCode> read(BufferedImage image, int shift) {
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
