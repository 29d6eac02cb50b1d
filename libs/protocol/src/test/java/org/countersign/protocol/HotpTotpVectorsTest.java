package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.countersign.protocol.internal.Hmac;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** RFC 4226 Appendix D and RFC 6238 Appendix B, every vector, from the files in vectors/. */
class HotpTotpVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4226AppendixD_allCounters_hmacTruncationAndCodeMatch() {
        KnownAnswers vectors = KnownAnswers.load("rfc4226/appendix-d.json");
        JsonNode file = vectors.file();
        Secret key = Secret.copyOf(file.path("secretAscii").asText().getBytes(StandardCharsets.US_ASCII));
        assertEquals(file.path("secretHex").asText(), HEX.formatHex(key.reveal()));
        OtpPolicy policy = OtpPolicy.hotp(OtpAlgorithm.SHA1, file.path("digits").asInt());
        vectors.each(v -> {
            long counter = v.path("counter").asLong();
            byte[] hmac = Hmac.compute(OtpAlgorithm.SHA1, key, java.nio.ByteBuffer.allocate(8).putLong(counter).array());
            expect("HMAC", v.path("hmac").asText(), HEX.formatHex(hmac));
            expect("Sbits", v.path("truncatedDecimal").asLong(), Integer.toUnsignedLong(Truncation.truncate(hmac)));
            expect("Sbits hex", v.path("truncatedHex").asText(), Integer.toHexString(Truncation.truncate(hmac)));
            expect("DT", v.path("hotp").asText(), Truncation.dt(HEX.parseHex(v.path("hmac").asText()), 6));
            expect("HOTP", v.path("hotp").asText(), Otp.at(policy, key, counter));
            expect("verified counter", counter,
                    OtpVerifier.of(policy, key).verify(v.path("hotp").asText(), OtpWindow.lookAhead(0, 9)));
        }).assertAllPassed();
        assertEquals(10, vectors.count());
    }

    @Test
    void rfc6238AppendixB_allTimesAndModes_codeMatches() {
        KnownAnswers vectors = KnownAnswers.load("rfc6238/appendix-b.json");
        JsonNode file = vectors.file();
        int period = file.path("periodSeconds").asInt();
        int digits = file.path("digits").asInt();
        vectors.each(v -> {
            OtpAlgorithm algorithm = OtpAlgorithm.valueOf(v.path("mode").asText());
            Secret key = Secret.copyOf(file.path("seedsAscii").path(v.path("mode").asText()).asText()
                    .getBytes(StandardCharsets.US_ASCII));
            OtpPolicy policy = OtpPolicy.totp(algorithm, digits, period);
            long time = v.path("time").asLong();
            long step = policy.timeStep(time);
            expect("T", Long.parseLong(v.path("stepHex").asText(), 16), step);
            expect("TOTP", v.path("totp").asText(), Otp.atTime(policy, key, time));
            expect("verified step", step, OtpVerifier.of(policy, key).verify(v.path("totp").asText(), OtpWindow.exactly(step)));
        }).assertAllPassed();
        assertEquals(18, vectors.count());
    }
}
