package org.countersign.visualcodes.rest;

import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Writes what scripts/check-visual-codes-zbar.sh feeds to Debian's zbarimg: QR PNGs as the service
 * serves them, and each colour code as three greyscale PNGs, one per channel, since zbar reads one
 * symbol per image. Beside each sample, its message in a .txt file (UTF-8, no newline).
 */
@QuarkusTest
class ZbarSamplesTest {

    static final Path SAMPLES = Path.of("target", "zbar-samples");
    private static final String[] CHANNELS = {"r", "g", "b"};

    @Test
    void writeSamples_everyLevelBothFormats_filesForZbar() throws IOException {
        Files.createDirectories(SAMPLES);
        for (String ecc : new String[] {"L", "M", "Q", "H"}) {
            write("qr-" + ecc, Fixtures.ACTIVATION_1, "qr", ecc);
            write("qr-unicode-" + ecc, Fixtures.UNICODE, "qr", ecc);
            write("colour-" + ecc, Fixtures.ACTIVATION_2, "colour", ecc);
            write("colour-unicode-" + ecc, Fixtures.UNICODE, "colour", ecc);
        }
    }

    private static void write(String name, String message, String format, String ecc) throws IOException {
        byte[] png = Fixtures.post(Map.of("message", message, "format", format, "ecc", ecc, "size", 500))
                .when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
        Files.writeString(SAMPLES.resolve(name + ".txt"), message, StandardCharsets.UTF_8);
        if (format.equals("qr")) {
            Files.write(SAMPLES.resolve(name + ".png"), png);
            return;
        }
        BufferedImage image = Fixtures.image(png);
        for (int c = 0; c < 3; c++) {
            BufferedImage channel = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            int shift = 16 - 8 * c;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int v = image.getRGB(x, y) >> shift & 0xFF;
                    channel.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(channel, "png", SAMPLES.resolve(name + "-" + CHANNELS[c] + ".png").toFile());
        }
    }
}
