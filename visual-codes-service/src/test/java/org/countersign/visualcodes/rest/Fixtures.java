package org.countersign.visualcodes.rest;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;
import org.countersign.testing.TestTokens;

/** Messages shaped like the real ones of protocol.md, and request helpers shared by the tests. */
final class Fixtures {

    static final String PATH = "/api/v1/visual-codes";
    static final String PROBLEMS = "https://countersign.org/problems/";

    /** Activation message 1: 20-byte AP as base32 (32 chars), as the QR it is shown as. */
    static final String ACTIVATION_1 = "countersign://activate?v=1&sn=SN-0001234567&rid=3f1c2a9e-8d4b-4f6a-9c1e-2b7d5e8a0f13"
            + "&ap=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&iss=Example%20Bank&acct=alice%40example.com";
    /** Activation message 2: 16-byte nonce and 48-byte ciphertext as base64url, as the colour code it is shown as. */
    static final String ACTIVATION_2 = "countersign://activate2?v=1&rid=3f1c2a9e-8d4b-4f6a-9c1e-2b7d5e8a0f13"
            + "&iid=9b2e4c6a-1d3f-4e5a-8b7c-0f1e2d3c4b5a&sn=SN-0001234567&otp=totp:sha1:6:30"
            + "&n=q83vEjRWeJq83vEjRWeJqw&c=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4";
    /** Non-ASCII text, whose colour chunks end inside UTF-8 characters. */
    static final String UNICODE = "Überweisung 250,00 € an Zoë — 東京 ✓";

    private Fixtures() {
    }

    static RequestSpecification authorised() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "visual-codes"));
    }

    static RequestSpecification post(Map<String, ?> body) {
        return authorised().contentType("application/json").body(body);
    }

    static BufferedImage image(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new AssertionError("Not an image ImageIO reads");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
