package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.countersign.protocol.OtpPolicy;
import org.countersign.visualcodes.codec.CodeFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The camera: URIs, image files, text files, URLs with and without a token, standard input, and every way to fail. */
class DeviceInputTest {

    private static final String AM1 = new Server("reg-1", "CS1", "inst-1", OtpPolicy.DEFAULT)
            .activationMessage1("Ünïcødé Bank", "alice@example.com");

    @TempDir
    Path dir;
    private HttpServer http;
    private String base;

    @BeforeEach
    void startHttp() throws Exception {
        byte[] png = Files.readAllBytes(Server.png(Files.createTempDirectory("img"), "c.png", AM1, CodeFormat.COLOUR));
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/code.png", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"Bearer t0k3n".equals(auth)) {
                byte[] problem = "{\"type\":\"https://countersign.dev/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(401, problem.length);
                exchange.getResponseBody().write(problem);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, png.length);
                exchange.getResponseBody().write(png);
            }
            exchange.close();
        });
        http.createContext("/text", exchange -> {
            byte[] body = (AM1 + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/text");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        http.createContext("/html", exchange -> {
            byte[] body = "<html>not an image</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stopHttp() {
        http.stop(0);
    }

    @Test
    void uri_returnedAsItIs() {
        assertEquals(AM1, DeviceInput.read(AM1));
        assertEquals("countersign://anything", DeviceInput.read("countersign://anything", "token"));
    }

    @Test
    void imageFiles_qrColourAndJpeg_decoded() throws Exception {
        assertEquals(AM1, DeviceInput.read(Server.png(dir, "qr.png", AM1, CodeFormat.QR).toString()));
        assertEquals(AM1, DeviceInput.read(Server.png(dir, "colour.png", AM1, CodeFormat.COLOUR).toString()));
        BufferedImage png = ImageIO.read(Server.png(dir, "for-jpeg.png", AM1, CodeFormat.QR).toFile());
        BufferedImage rgb = new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(png, 0, 0, null);
        Path jpeg = dir.resolve("photo.jpg");
        ImageIO.write(rgb, "jpg", jpeg.toFile());
        assertEquals(AM1, DeviceInput.read(jpeg.toString()));
    }

    @Test
    void textFile_withUri_isTheMessage() throws Exception {
        Path text = dir.resolve("am1.txt");
        Files.write(text, ("\ufeff" + AM1 + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(AM1, DeviceInput.read(text.toString()));
    }

    @Test
    void url_withToken_fetchedAndDecoded() {
        assertEquals(AM1, DeviceInput.read(base + "/code.png?size=400", "t0k3n"));
        assertEquals(AM1, DeviceInput.read(base + "/text"));
        assertEquals(AM1, DeviceInput.read(base + "/redirect"));
    }

    @Test
    void url_redirectWithToken_notFollowed() {
        DeviceException e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/redirect", "t0k3n"));
        assertTrue(e.getMessage().contains("answered HTTP 302") && e.getMessage().contains("not followed"), e.getMessage());
    }

    @Test
    void url_refusedOrAbsent_explained() {
        DeviceException e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/code.png?message=secret-ap"));
        assertEquals(DeviceException.Kind.INPUT, e.kind());
        assertTrue(e.getMessage().contains("answered HTTP 401: Unauthorized"), e.getMessage());
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-ap"), "the query can hold the message itself");
        e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/code.png", "wrong"));
        assertTrue(e.getMessage().contains("the token was refused"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/nothing-here"));
        assertTrue(e.getMessage().contains("answered HTTP 404"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/html"));
        assertTrue(e.getMessage().contains("is not an image"), e.getMessage());
        http.stop(0);
        e = assertThrows(DeviceException.class, () -> DeviceInput.read(base + "/code.png"));
        assertTrue(e.getMessage().startsWith("Cannot fetch http://127.0.0.1:"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> DeviceInput.read("http://exa mple.com/x"));
        assertTrue(e.getMessage().startsWith("Not a valid URL"), e.getMessage());
    }

    @Test
    void files_missingOrNotImages_explained() throws Exception {
        expectInput("No such file: nope.png", "nope.png");
        expectInput("No such file: countersign:/activate?v=1 (URIs must start with countersign://, URLs with http:// or https://)",
                "countersign:/activate?v=1");
        expectInput(dir + " is a directory, not an image file", dir.toString());
        Path junk = Files.write(dir.resolve("junk.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        expectInput(junk + " is not an image (PNG or JPEG) nor a countersign:// URI", junk.toString());
        Path damaged = dir.resolve("damaged.png");
        byte[] png = Files.readAllBytes(Server.png(dir, "whole.png", AM1, CodeFormat.QR));
        Files.write(damaged, java.util.Arrays.copyOf(png, 60));
        expectInput("Cannot read the image in " + damaged + ": it is damaged or not an image", damaged.toString());
        BufferedImage white = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        white.getGraphics().fillRect(0, 0, 200, 200);
        Path blank = dir.resolve("blank.png");
        ImageIO.write(white, "png", blank.toFile());
        expectInput("No QR or colour code found in " + blank + " (is it the whole code, sharp, with its white margin?)", blank.toString());
        BufferedImage huge = new BufferedImage(4100, 4000, BufferedImage.TYPE_BYTE_BINARY);
        Path big = dir.resolve("huge.png");
        ImageIO.write(huge, "png", big.toFile());
        expectInput("The image in " + big + " has 16400000 pixels; at most 16000000 are read", big.toString());
        expectInput("Nothing to read: give an image file, an http(s) URL or a countersign:// URI", " ");
    }

    @Test
    void stdin_imageOrUri() throws Exception {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Server.png(dir, "in.png", AM1, CodeFormat.COLOUR))));
            assertEquals(AM1, DeviceInput.read("-"));
            System.setIn(new ByteArrayInputStream((AM1 + "\n").getBytes(StandardCharsets.UTF_8)));
            assertEquals(AM1, DeviceInput.read("-"));
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void quarterTurn_turnsClockwise() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF112233);
        BufferedImage turned = DeviceInput.quarterTurn(image);
        assertEquals(2, turned.getWidth());
        assertEquals(3, turned.getHeight());
        assertEquals(0xFF112233, turned.getRGB(1, 0));
    }

    private static void expectInput(String message, String arg) {
        DeviceException e = assertThrows(DeviceException.class, () -> DeviceInput.read(arg), arg);
        assertEquals(DeviceException.Kind.INPUT, e.kind());
        assertEquals(message, e.getMessage());
    }
}
