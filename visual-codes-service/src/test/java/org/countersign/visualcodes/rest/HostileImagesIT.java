package org.countersign.visualcodes.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with the production heap (-Xmx384m, -XX:+ExitOnOutOfMemoryError: see the
 * failsafe configuration) under hostile images sent at once: none takes it down.
 */
@QuarkusIntegrationTest
class HostileImagesIT {

    @Test
    void hostileImagesAtOnce_onProductionHeap_serviceSurvivesAndStillDecodes() throws Exception {
        byte[] sixteenBit = HostileImages.png(4000, 4000, 16, 6);
        byte[] largestAllowed = HostileImages.png(3999, 4000, 8, 6);
        byte[] textBomb = HostileImages.pngWithTextBomb(256L << 20);
        List<byte[]> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uploads.add(sixteenBit);
            uploads.add(largestAllowed);
            uploads.add(largestAllowed);
        }
        uploads.add(textBomb);
        uploads.add(textBomb);
        ExecutorService pool = Executors.newFixedThreadPool(uploads.size());
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (byte[] upload : uploads) {
                statuses.add(pool.submit(() -> HostileImagesTest.upload("image/png", upload).extract().statusCode()));
            }
            for (Future<Integer> status : statuses) {
                int code = status.get();
                assertTrue(Set.of(422, 503).contains(code), "refused, not failed: " + code);
            }
        } finally {
            pool.shutdownNow();
        }
        RestAssured.given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        byte[] png = Fixtures.post(Map.of("message", Fixtures.ACTIVATION_1)).when().post(Fixtures.PATH).then()
                .statusCode(200).extract().asByteArray();
        HostileImagesTest.upload("image/png", png).statusCode(200).body("message", equalTo(Fixtures.ACTIVATION_1));
    }

    @Test
    void stripBombsAtOnce_onProductionHeap_refusedFromTheHeader() throws Exception {
        // 16,000,000 x 1 RGBA in about 64 KB: within the pixel count, but rows of 64 MB for the PNG reader.
        byte[] strip = HostileImages.png(16_000_000, 1, 8, 6);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(pool.submit(() -> HostileImagesTest.upload("image/png", strip).extract().statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(413, status.get(), "image-too-large from the header");
            }
        } finally {
            pool.shutdownNow();
        }
        HostileImagesTest.problem(HostileImagesTest.upload("image/png", strip), 413, "image-too-large");
        RestAssured.given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        byte[] png = Fixtures.post(Map.of("message", Fixtures.ACTIVATION_1)).when().post(Fixtures.PATH).then()
                .statusCode(200).extract().asByteArray();
        HostileImagesTest.upload("image/png", png).statusCode(200).body("message", equalTo(Fixtures.ACTIVATION_1));
    }
}
