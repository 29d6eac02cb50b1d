package org.countersign.visualcodes.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every format, output, level and a range of sizes, drawn by the service and read back by BoofCV. */
@QuarkusTest
class VisualCodeRoundTripTest {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[] sizes = {240, 401, 1000};
        int i = 0;
        for (String format : List.of("qr", "colour")) {
            for (String output : List.of("png", "svg")) {
                for (String ecc : List.of("L", "M", "Q", "H")) {
                    for (int size : sizes) {
                        String message = switch (i++ % 3) {
                            case 0 -> format.equals("qr") ? Fixtures.ACTIVATION_1 : Fixtures.ACTIVATION_2;
                            case 1 -> Fixtures.UNICODE;
                            default -> "abcd";
                        };
                        cases.add(Arguments.of(format, output, ecc, size, message));
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}px")
    @MethodSource("cases")
    void render_anyFormatOutputLevelAndSize_independentDecoderReadsMessage(String format, String output, String ecc,
                                                                          int size, String message) {
        Response response = Fixtures.post(Map.of("message", message, "format", format, "output", output, "ecc", ecc,
                        "size", size))
                .when().post(Fixtures.PATH)
                .then().statusCode(200)
                .contentType(output.equals("png") ? "image/png" : "image/svg+xml")
                .header("Cache-Control", "no-store")
                .extract().response();
        BufferedImage image;
        if (output.equals("png")) {
            image = Fixtures.image(response.asByteArray());
            assertEquals(size, image.getWidth());
            assertEquals(size, image.getHeight());
        } else {
            String svg = response.asString();
            assertTrue(svg.contains("width=\"" + size + "\" height=\"" + size + "\""), "SVG size");
            image = SvgRaster.draw(svg, 4);
        }
        String read = format.equals("qr") ? IndependentReader.readQr(image) : IndependentReader.readColour(image);
        assertEquals(message, read);
        assertEquals(ecc, IndependentReader.onlySymbol(image, 16).error.name());
    }

    @Test
    void get_sameParametersAsPost_sameImage() {
        byte[] viaGet = Fixtures.authorised()
                .queryParam("message", Fixtures.UNICODE).queryParam("format", "colour").queryParam("ecc", "q")
                .queryParam("size", 333).queryParam("margin", 6)
                .when().get(Fixtures.PATH)
                .then().statusCode(200).contentType("image/png").header("Cache-Control", "no-store")
                .extract().asByteArray();
        byte[] viaPost = Fixtures.post(Map.of("message", Fixtures.UNICODE, "format", "colour", "ecc", "Q", "size", 333,
                        "margin", 6))
                .when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(viaPost, viaGet);
        assertEquals(Fixtures.UNICODE, IndependentReader.readColour(Fixtures.image(viaGet)));
    }

    @Test
    void get_onlyMessage_documentedDefaults() {
        byte[] png = Fixtures.authorised().queryParam("message", "hello")
                .when().get(Fixtures.PATH)
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage image = Fixtures.image(png);
        assertEquals(400, image.getWidth());
        var symbol = IndependentReader.onlySymbol(image, 8);
        assertEquals("M", symbol.error.name());
        assertEquals("hello", new String(symbol.message.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        // Version 1 is 21 modules, plus 2 x 4 of quiet zone: 13 px a module, 377 px, and 23 px to
        // spare, so the finder starts after 11 px of extra margin and 4 modules of quiet zone.
        assertEquals(0xFFFFFF, image.getRGB(11 + 4 * 13 - 1, 11 + 4 * 13 - 1) & 0xFFFFFF);
        assertEquals(0x000000, image.getRGB(11 + 4 * 13, 11 + 4 * 13) & 0xFFFFFF);
    }

    @Test
    void post_adminScope_allowed() {
        io.restassured.RestAssured.given()
                .header("Authorization", org.countersign.testing.TestTokens.bearer(
                        org.countersign.testing.TestTokens.OTHER_DOMAIN, "admin"))
                .contentType("application/json").body(Map.of("message", "hi", "output", "svg"))
                .when().post(Fixtures.PATH)
                .then().statusCode(200).contentType("image/svg+xml").header("Cache-Control", equalTo("no-store"));
    }
}
