package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** RFC 6287 Appendix C, all of it: C.1 one-way, C.2 mutual (server and client), C.3 plain signature. */
class OcraVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc6287AppendixC_everyVector_responseMatchesAndVerifies() {
        KnownAnswers vectors = KnownAnswers.load("rfc6287/appendix-c.json");
        JsonNode file = vectors.file();
        Secret pin = Secret.copyOf(file.path("pin").asText().getBytes(StandardCharsets.UTF_8));
        vectors.each(v -> {
            OcraSuite suite = OcraSuite.parse(v.path("suite").asText());
            expect("suite round trip", v.path("suite").asText(), suite.format());
            Secret key = Secret.copyOf(HEX.parseHex(file.path("keysHex").path(v.path("key").asText()).asText()));
            OcraInput.Builder input = OcraInput.builder();
            v.path("questions").forEach(q -> input.question(q.asText()));
            if (v.has("counter")) {
                input.counter(v.path("counter").asLong());
            }
            if (v.path("pin").asBoolean()) {
                Secret pinHash = Ocra.hashPin(suite, pin);
                expect("PIN hash", file.path("pinSha1Hex").asText(), HEX.formatHex(pinHash.reveal()));
                input.pinHash(pinHash);
            }
            if (v.has("timeStepHex")) {
                input.timeStep(Long.parseLong(v.path("timeStepHex").asText(), 16));
            }
            String expected = v.path("response").asText();
            expect("response", expected, Ocra.response(suite, key, input.build()));
            Ocra.verify(suite, key, input.build(), expected);
        }).assertAllPassed();
        assertEquals(70, vectors.count());
    }

    @Test
    void rfc6287AppendixC_timeStepFromUnixTime_isT() {
        // C.1 and C.3 give T = 0x132d0b6 minutes; any second of that minute maps to it.
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA512-8:QN08-T1M");
        assertEquals(0x132d0b6L, suite.timeStep(0x132d0b6L * 60));
        assertEquals(0x132d0b6L, suite.timeStep(0x132d0b6L * 60 + 59));
    }
}
