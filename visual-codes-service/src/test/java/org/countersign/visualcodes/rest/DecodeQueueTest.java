package org.countersign.visualcodes.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Decodes beyond the configured number at once wait briefly, then get 503 with Retry-After. */
@QuarkusTest
@TestProfile(DecodeQueueTest.OneAtATime.class)
class DecodeQueueTest {

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.visual-codes.upload.max-concurrent-decodes", "1",
                    "countersign.visual-codes.upload.queue-timeout", "1ms");
        }
    }

    @Test
    void moreDecodesThanPermitted_restGet503WithRetryAfter_noneFails() throws Exception {
        byte[] big = HostileImages.png(3999, 4000, 8, 6);
        int parallel = 6;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> HostileImagesTest.upload("image/png", big).extract()));
            }
            int decoded = 0;
            int refused = 0;
            for (Future<ExtractableResponse<Response>> answer : answers) {
                ExtractableResponse<Response> response = answer.get();
                if (response.statusCode() == 503) {
                    refused++;
                    assertEquals("1", response.header("Retry-After"));
                    assertEquals("application/problem+json", response.contentType());
                    assertEquals("https://countersign.org/problems/service-unavailable", response.path("type"));
                } else {
                    assertEquals(422, response.statusCode(), response.asString());
                    decoded++;
                }
            }
            assertTrue(decoded >= 1, "at least one was decoded");
            assertTrue(refused >= 1, "at least one waited too long and was told to retry");
        } finally {
            pool.shutdownNow();
        }
    }
}
