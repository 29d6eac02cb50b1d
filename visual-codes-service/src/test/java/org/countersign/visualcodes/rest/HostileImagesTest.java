package org.countersign.visualcodes.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Images made to exhaust the decoder: each is refused from its header (or decoded within bounded
 * memory), with a stable problem type, and the service stays healthy and decodes a real code after.
 */
@QuarkusTest
class HostileImagesTest {

    static ValidatableResponse upload(String contentType, byte[] bytes) {
        return Fixtures.authorised().contentType(contentType).body(bytes).when().post(Fixtures.PATH + "/decode").then();
    }

    static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(Fixtures.PROBLEMS + type)).body("status", equalTo(status));
    }

    /** After every hostile image: alive, and a real code still decodes. */
    @AfterEach
    void serviceStillHealthy_legitimateImageStillDecodes() {
        RestAssured.given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        byte[] png = Fixtures.post(Map.of("message", Fixtures.ACTIVATION_1)).when().post(Fixtures.PATH).then()
                .statusCode(200).extract().asByteArray();
        upload("image/png", png).statusCode(200).body("message", equalTo(Fixtures.ACTIVATION_1));
    }

    @Test
    void sixteenBitRgba4000Square_125KiloBytes_unsupportedImage() {
        byte[] png = HostileImages.png(4000, 4000, 16, 6);
        problem(upload("image/png", png), 422, "unsupported-image").body("detail", containsString("16 bits"));
    }

    @Test
    void hugeDimensionsInTinyPng_imageTooLargeFromTheHeader() {
        // 20000 x 20000 grey pixels, a 400-megapixel image, in a file of about 50 KB.
        problem(upload("image/png", HostileImages.png(20_000, 20_000, 1, 0)), 413, "image-too-large")
                .body("detail", containsString("400000000 pixels"));
    }

    @Test
    void stripBomb16MillionBy1Rgba_imageTooLargeFromTheHeader() {
        // Within the 16-megapixel count, but one row of 64 MB: the PNG reader would hold rows of that
        // size, and every 2nd pixel of one row is still twice the decode-pixel bound. About 64 KB.
        byte[] png = HostileImages.png(16_000_000, 1, 8, 6);
        problem(upload("image/png", png), 413, "image-too-large")
                .body("detail", containsString("16000000 x 1"))
                .body("detail", containsString("at most 8192"));
        problem(upload("image/png", HostileImages.png(1, 16_000_000, 8, 0)), 413, "image-too-large");
    }

    @Test
    void jpegClaimingHugeDimensions_imageTooLargeFromTheHeader() {
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC0, 8, 65_535, 65_535, 3)), 413, "image-too-large");
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC2, 8, 65_535, 65_535, 3)), 413, "image-too-large");
        // 65535 x 200 is 13 Mpx, within the pixel count, but wider than any side the decoder takes.
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC2, 8, 65_535, 200, 3)), 413, "image-too-large")
                .body("detail", containsString("65535 x 200"));
    }

    @Test
    void progressiveJpegWithThousandsOfScans_imageTooLargeFromTheSegments() throws Exception {
        BufferedImage code = ImageIO.read(new ByteArrayInputStream(Fixtures.post(Map.of("message", Fixtures.ACTIVATION_1))
                .when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray()));
        // 5000 scans of a small black picture: about 200 KB, each scan one more pass for the decoder.
        byte[] jpeg = HostileImages.progressiveJpeg(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), 5000);
        assertEquals(5000, HostileImages.scans(jpeg).size());
        assertNotNull(ImageIO.read(new ByteArrayInputStream(jpeg)), "a JPEG the JDK reads");
        problem(upload("image/jpeg", jpeg), 413, "image-too-large").body("detail", containsString("5000 scans"))
                .body("detail", containsString("at most 64"));
        problem(upload("image/jpeg", HostileImages.progressiveJpeg(code, 65)), 413, "image-too-large");
        // At the bound, the same picture decodes.
        upload("image/jpeg", HostileImages.progressiveJpeg(code, 64)).statusCode(200)
                .body("message", equalTo(Fixtures.ACTIVATION_1));
    }

    @Test
    void jpegKindsTheDecoderDoesNotRead_unsupportedImage() {
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC3, 8, 100, 100, 3)), 422, "unsupported-image");
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC9, 8, 100, 100, 3)), 422, "unsupported-image");
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC0, 12, 100, 100, 3)), 422, "unsupported-image");
        problem(upload("image/jpeg", HostileImages.jpegHeader(0xC0, 8, 100, 100, 4)), 422, "unsupported-image");
    }

    @Test
    void compressedTextChunkBomb_neverInflated() {
        // 256 MB of text behind a 200 x 200 image: metadata is never read, so the image decodes (no code in it).
        problem(upload("image/png", HostileImages.pngWithTextBomb(256L << 20)), 422, "no-code-found");
    }

    @Test
    void pngWithoutHeaderFirst_invalidImage() {
        byte[] png = HostileImages.png(100, 100, 8, 0);
        png[12] = 'X';
        problem(upload("image/png", png), 400, "invalid-image");
    }

    @Test
    void largeAllowedImage_subsampledWhileDecoded_codeStillRead() {
        // 3900 x 3900 is under the 16-megapixel cap but decoded from every 2nd pixel of every 2nd row.
        byte[] png = Fixtures.post(Map.of("message", Fixtures.ACTIVATION_2, "format", "colour", "size", 3900))
                .when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
        upload("image/png", png).statusCode(200).body("message", equalTo(Fixtures.ACTIVATION_2))
                .body("format", equalTo("colour"));
    }
}
