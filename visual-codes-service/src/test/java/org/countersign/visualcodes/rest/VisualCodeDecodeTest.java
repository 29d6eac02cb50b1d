package org.countersign.visualcodes.rest;

import static org.hamcrest.Matchers.equalTo;

import boofcv.alg.fiducial.qrcode.QrCode;
import boofcv.alg.fiducial.qrcode.QrCodeEncoder;
import boofcv.alg.fiducial.qrcode.QrCodeGeneratorImage;
import boofcv.struct.image.GrayU8;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VisualCodeDecodeTest {

    @Test
    void decode_ourQrPng_messageAndQrFormat() {
        decode("image/png", render(Fixtures.ACTIVATION_1, "qr"))
                .body("message", equalTo(Fixtures.ACTIVATION_1))
                .body("format", equalTo("qr"));
    }

    @Test
    void decode_ourColourPng_messageAndColourFormat() {
        decode("image/png", render(Fixtures.UNICODE, "colour"))
                .body("message", equalTo(Fixtures.UNICODE))
                .body("format", equalTo("colour"));
    }

    @Test
    void decode_qrFromAnotherEncoder_message() throws IOException {
        // BoofCV's encoder picks its own modes and masks: the decoder must not depend on ours.
        QrCode qr = new QrCodeEncoder().setError(QrCode.ErrorLevel.Q).addAutomatic("HELLO 12345 and some bytes").fixate();
        QrCodeGeneratorImage generator = new QrCodeGeneratorImage(8);
        generator.render(qr);
        GrayU8 grey = generator.getGray();
        BufferedImage image = new BufferedImage(grey.width, grey.height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < grey.height; y++) {
            for (int x = 0; x < grey.width; x++) {
                int v = grey.get(x, y);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        decode("image/png", png(image))
                .body("message", equalTo("HELLO 12345 and some bytes"))
                .body("format", equalTo("qr"));
    }

    @Test
    void decode_photoOfQrAsJpeg_message() throws IOException {
        decode("image/jpeg", photo(render(Fixtures.ACTIVATION_1, "qr"), 11))
                .body("message", equalTo(Fixtures.ACTIVATION_1))
                .body("format", equalTo("qr"));
    }

    @Test
    void decode_photoOfColourCodeAsJpeg_message() throws IOException {
        decode("image/jpeg", photo(render(Fixtures.ACTIVATION_2, "colour"), 12))
                .body("message", equalTo(Fixtures.ACTIVATION_2))
                .body("format", equalTo("colour"));
    }

    @Test
    void decode_photoOfColourCodeAsPng_message() throws IOException {
        decode("image/png", photoPng(render(Fixtures.UNICODE, "colour"), 13))
                .body("message", equalTo(Fixtures.UNICODE))
                .body("format", equalTo("colour"));
    }

    private static byte[] render(String message, String format) {
        return Fixtures.post(Map.of("message", message, "format", format, "size", 600))
                .when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
    }

    private static io.restassured.response.ValidatableResponse decode(String contentType, byte[] image) {
        return Fixtures.authorised().contentType(contentType).body(image)
                .when().post(Fixtures.PATH + "/decode")
                .then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store");
    }

    /** Scaled down, turned a little, blurred and laid on a noisy, striped background, as a camera would give it. */
    static BufferedImage photograph(byte[] rendered, long seed) {
        BufferedImage code = Fixtures.image(rendered);
        Random random = new Random(seed);
        BufferedImage scene = new BufferedImage(900, 760, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < scene.getHeight(); y++) {
            for (int x = 0; x < scene.getWidth(); x++) {
                int stripe = ((x + 2 * y) / 23) % 2 == 0 ? 30 : 0;
                int r = 120 + stripe + random.nextInt(50);
                int g = 100 + stripe + random.nextInt(50);
                int b = 80 + random.nextInt(50);
                scene.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Graphics2D g = scene.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.translate(170, 120);
        g.rotate(Math.toRadians(6), 230, 230);
        g.setComposite(AlphaComposite.SrcOver);
        g.drawImage(code, 0, 0, 470, 470, null);
        g.setColor(new Color(255, 255, 255, 40));
        g.fillRect(-50, -50, 300, 600);
        g.dispose();
        float[] blur = new float[25];
        Arrays.fill(blur, 1f / 25);
        BufferedImage blurred = new BufferedImage(scene.getWidth(), scene.getHeight(), BufferedImage.TYPE_INT_RGB);
        new ConvolveOp(new Kernel(5, 5, blur), ConvolveOp.EDGE_NO_OP, null).filter(scene, blurred);
        return blurred;
    }

    private static byte[] photo(byte[] rendered, long seed) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.8f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(photograph(rendered, seed), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] photoPng(byte[] rendered, long seed) throws IOException {
        return png(photograph(rendered, seed));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
