package org.countersign.visualcodes.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test per limit: each answers a problem with a stable type and a useful detail, never a 500. */
@QuarkusTest
class VisualCodeLimitsTest {

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo(Fixtures.PROBLEMS + type))
                .body("status", equalTo(status));
    }

    private static Map<String, Object> body(String message, Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        body.put("message", message);
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    @ParameterizedTest(name = "{0} {1} holds {2} bytes")
    @CsvSource({"qr, L, 2953", "qr, M, 2331", "qr, Q, 1663", "qr, H, 1273",
            "colour, L, 8841", "colour, M, 6975", "colour, Q, 4971", "colour, H, 3801"})
    void render_messageOneByteOverMax_messageTooLongStatesMax(String format, String ecc, int max) {
        problem(Fixtures.post(body("x".repeat(max + 1), "format", format, "ecc", ecc)).when().post(Fixtures.PATH).then(),
                400, "message-too-long")
                .body("detail", containsString("at most " + max + " bytes"))
                .body("detail", containsString("level " + ecc));
        Fixtures.post(body("x".repeat(max), "format", format, "ecc", ecc, "size", 1000))
                .when().post(Fixtures.PATH).then().statusCode(200);
    }

    @Test
    void render_multiByteCharacters_countedAsUtf8Bytes() {
        // 1000 euro signs are 3000 bytes: too long for QR at L (2953) though only 1000 characters.
        problem(Fixtures.post(body("€".repeat(1000), "ecc", "L")).when().post(Fixtures.PATH).then(), 400, "message-too-long")
                .body("detail", containsString("3000 bytes"));
    }

    @Test
    void render_colourUnderThreeBytes_messageTooShort() {
        problem(Fixtures.post(body("ab", "format", "colour")).when().post(Fixtures.PATH).then(), 400, "message-too-short")
                .body("detail", containsString("at least 3 bytes"));
        Fixtures.post(body("abc", "format", "colour")).when().post(Fixtures.PATH).then().statusCode(200);
    }

    @Test
    void render_emptyOrMissingMessage_validation() {
        problem(Fixtures.post(body("")).when().post(Fixtures.PATH).then(), 400, "validation");
        problem(Fixtures.post(Map.of("format", "qr")).when().post(Fixtures.PATH).then(), 400, "validation");
        problem(Fixtures.authorised().when().get(Fixtures.PATH).then(), 400, "validation");
    }

    @Test
    void render_unknownFormat_unsupportedFormatListsKnown() {
        problem(Fixtures.authorised().queryParam("message", "hi").queryParam("format", "datamatrix")
                .when().get(Fixtures.PATH).then(), 400, "unsupported-format")
                .body("detail", containsString("qr, colour"))
                .body("detail", not(containsString("datamatrix")));
    }

    @Test
    void render_unknownOutput_unsupportedOutput() {
        problem(Fixtures.post(body("hi", "output", "gif")).when().post(Fixtures.PATH).then(), 400, "unsupported-output")
                .body("detail", containsString("png, svg"));
    }

    @Test
    void render_unknownEcc_unsupportedEcc() {
        problem(Fixtures.post(body("hi", "ecc", "X")).when().post(Fixtures.PATH).then(), 400, "unsupported-ecc")
                .body("detail", containsString("L, M, Q, H"));
    }

    @ParameterizedTest
    @CsvSource({"63", "4097", "-1", "abc", "1.5"})
    void render_sizeOutOfRange_sizeOutOfRange(String size) {
        problem(Fixtures.authorised().queryParam("message", "hi").queryParam("size", size)
                .when().get(Fixtures.PATH).then(), 400, "size-out-of-range")
                .body("detail", containsString("from 64 to 4096"));
    }

    @Test
    void render_sizeTooSmallForTheModules_sizeOutOfRangeStatesMinimum() {
        // 2000 bytes at L is version 33: 149 modules + 8 of quiet zone.
        problem(Fixtures.post(body("x".repeat(2000), "ecc", "L", "size", 100)).when().post(Fixtures.PATH).then(),
                400, "size-out-of-range")
                .body("detail", containsString("at least 157 pixels"));
    }

    @ParameterizedTest
    @CsvSource({"3", "17", "0"})
    void render_marginOutOfRange_marginOutOfRange(int margin) {
        problem(Fixtures.post(body("hi", "margin", margin)).when().post(Fixtures.PATH).then(), 400, "margin-out-of-range")
                .body("detail", containsString("from 4 to 16"));
    }

    @Test
    void render_fieldOfWrongType_validationNamesField() {
        problem(Fixtures.post(body("hi", "size", "big")).when().post(Fixtures.PATH).then(), 400, "validation")
                .body("errors.field", hasItem("body.size"));
    }

    @Test
    void render_unknownField_validationNamesField() {
        problem(Fixtures.post(body("hi", "colour", "red")).when().post(Fixtures.PATH).then(), 400, "validation")
                .body("errors.field", hasItem("body.colour"));
    }

    @Test
    void render_jsonBodyOverLimit_payloadTooLarge() {
        problem(Fixtures.post(body("x".repeat(70 * 1024))).when().post(Fixtures.PATH).then(), 413, "payload-too-large");
    }

    @Test
    void render_withoutToken_unauthorized() {
        problem(io.restassured.RestAssured.given().queryParam("message", "hi").when().get(Fixtures.PATH).then(),
                401, "unauthorized");
    }

    @Test
    void render_otherServiceScope_forbidden() {
        problem(io.restassured.RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "otp"))
                .queryParam("message", "hi").when().get(Fixtures.PATH).then(), 403, "forbidden");
    }

    @Test
    void decode_uploadOverLimit_payloadTooLarge() {
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        big[0] = (byte) 0x89;
        problem(upload("image/png", big), 413, "payload-too-large");
    }

    @Test
    void decode_chunkedUploadOverLimit_payloadTooLargeProblem() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        byte[][] chunks = new byte[4 * 16 + 1][];
        Arrays.fill(chunks, chunk);
        org.countersign.testing.RawHttp.Response response = org.countersign.testing.RawHttp.exchange(
                io.restassured.RestAssured.port, chunkedUploadHead(), true, chunks);
        org.junit.jupiter.api.Assertions.assertEquals(413, response.status(), response.toString());
        org.junit.jupiter.api.Assertions.assertTrue(response.body().contains(Fixtures.PROBLEMS + "payload-too-large"),
                response.body());
    }

    @Test
    void decode_chunkedUploadUnderLimit_decoded() throws Exception {
        byte[] png = Fixtures.post(body(Fixtures.ACTIVATION_1)).when().post(Fixtures.PATH).then().statusCode(200)
                .extract().asByteArray();
        int half = png.length / 2;
        org.countersign.testing.RawHttp.Response response = org.countersign.testing.RawHttp.exchange(
                io.restassured.RestAssured.port, chunkedUploadHead(), true,
                Arrays.copyOfRange(png, 0, half), Arrays.copyOfRange(png, half, png.length));
        org.junit.jupiter.api.Assertions.assertEquals(200, response.status(), response.toString());
        org.junit.jupiter.api.Assertions.assertTrue(response.body().contains("\"format\":\"qr\""), response.body());
    }

    private static String chunkedUploadHead() {
        return "POST " + Fixtures.PATH + "/decode HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + TestTokens.bearer(TestTokens.DOMAIN, "visual-codes") + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked";
    }

    @Test
    void decode_notPngOrJpegContentType_unsupportedMediaType() {
        problem(upload("image/gif", gif()), 415, "unsupported-media-type");
        problem(upload("text/plain", "hello".getBytes()), 415, "unsupported-media-type");
    }

    @Test
    void decode_bytesThatAreNoImage_invalidImage() {
        problem(upload("image/png", "this is not a picture".getBytes()), 400, "invalid-image");
        problem(upload("image/jpeg", gif()), 400, "invalid-image");
    }

    @Test
    void decode_emptyBody_invalidImage() {
        problem(upload("image/png", new byte[0]), 400, "invalid-image");
    }

    @Test
    void decode_truncatedPng_invalidImage() {
        byte[] png = Fixtures.post(body("hello")).when().post(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
        problem(upload("image/png", Arrays.copyOf(png, png.length / 2)), 400, "invalid-image");
    }

    @Test
    void decode_tooManyPixels_imageTooLargeBeforeDecoding() throws Exception {
        // 4001 x 4001 one-bit pixels compress to a few kilobytes but would be 64 MB as ARGB.
        BufferedImage huge = new BufferedImage(4001, 4001, BufferedImage.TYPE_BYTE_BINARY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(huge, "png", png);
        problem(upload("image/png", png.toByteArray()), 413, "image-too-large")
                .body("detail", containsString("16000000"));
    }

    @Test
    void decode_imageWithoutCode_noCodeFound() throws Exception {
        BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(blank, "png", png);
        problem(upload("image/png", png.toByteArray()), 422, "no-code-found");
    }

    @Test
    void decode_withoutToken_unauthorized() {
        problem(io.restassured.RestAssured.given().contentType("image/png").body(new byte[] {1})
                .when().post(Fixtures.PATH + "/decode").then(), 401, "unauthorized");
    }

    private static ValidatableResponse upload(String contentType, byte[] bytes) {
        return Fixtures.authorised().contentType(contentType).body(bytes).when().post(Fixtures.PATH + "/decode").then();
    }

    private static byte[] gif() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "gif", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
