package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The frozen vectors of docs/protocol-vectors/offline-data.json, checked from both sides. A change
 * that alters any output fails here; the fix is the code, never the file. RFC 7914's PBKDF2 vectors
 * check the key derivation against an outside source.
 */
class OfflineDataVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String FILE = "countersign/offline-data.json";

    @Test
    void pbkdf2_matchesRfc7914() {
        KnownAnswers vectors = KnownAnswers.load("rfc7914/section-11-pbkdf2.json");
        vectors.each(v -> {
            Secret password = Secret.copyOf(v.path("password").asText().getBytes(StandardCharsets.UTF_8));
            Secret dk = OfflineKey.pbkdf2(password, v.path("salt").asText().getBytes(StandardCharsets.UTF_8),
                    v.path("iterations").asInt(), v.path("dkLen").asInt());
            expect("dk", v.path("dk").asText(), HEX.formatHex(dk.reveal()));
        }).assertAllPassed();
        assertEquals(2, vectors.count());
    }

    @Test
    void serverSide_derivesTagsAndWritesTheBundleAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load(FILE);
        vectors.each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            OtpPolicy policy = OtpPolicy.parse(in.path("otp").asText());
            Secret otpKey = InstanceKeys.of(Secret.copyOf(HEX.parseHex(in.path("is").asText()))).otp(policy);
            expect("K_otp", out.path("kOtp").asText(), HEX.formatHex(otpKey.reveal()));
            Secret pin = Secret.copyOf(in.path("pin").asText().getBytes(StandardCharsets.UTF_8));
            byte[] salt = HEX.parseHex(in.path("salt").asText());
            Secret offlineKey = OfflineKey.derive(pin, salt, in.path("iterations").asInt());
            expect("K_off", out.path("kOff").asText(), HEX.formatHex(offlineKey.reveal()));
            String agentId = in.path("agentId").asText();
            for (JsonNode step : out.path("steps")) {
                long t = step.path("t").asLong();
                expect("OTP at " + t, step.path("otp").asText(), Otp.at(policy, otpKey, t));
                expect("tag at " + t, step.path("tag").asText(),
                        HEX.formatHex(OfflineBundle.tag(offlineKey, agentId, t, step.path("otp").asText())));
            }
            OfflineBundle bundle = OfflineBundle.issue(in.path("userId").asText(), agentId, in.path("serialNumber").asText(),
                    policy, otpKey, pin, in.path("firstStep").asLong(), in.path("steps").asInt(), in.path("iterations").asInt(), salt);
            expect("pinLength", out.path("pinLength").asText(), Integer.toString(bundle.pinLength()));
            expect("tags", out.path("tags").asText(), Base64Url.encode(bundle.tags()));
            expect("bundle", out.path("bundle").asText(), bundle.toJson());
        }).assertAllPassed();
        assertEquals(5, vectors.count());
    }

    @Test
    void agentSide_readsEachFrozenBundleBackUnchanged() {
        KnownAnswers.load(FILE).each(v -> {
            String json = v.path("output").path("bundle").asText();
            OfflineBundle bundle = OfflineBundle.parse(json);
            expect("written again", json, bundle.toJson());
            expect("steps", v.path("input").path("steps").asText(), Integer.toString(bundle.stepCount()));
        }).assertAllPassed();
    }

    @Test
    void agentSide_checksTypedInputAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load(FILE);
        List<String> failures = new ArrayList<>();
        Set<String> results = new HashSet<>();
        for (JsonNode check : vectors.file().path("agentChecks")) {
            OfflineBundle bundle = null;
            for (JsonNode v : vectors.file().path("vectors")) {
                if (v.path("id").asText().equals(check.path("vector").asText())) {
                    bundle = OfflineBundle.parse(v.path("output").path("bundle").asText());
                }
            }
            Set<Long> used = new HashSet<>();
            check.path("usedSteps").forEach(s -> used.add(s.asLong()));
            OfflineCheck result = bundle.check(Secret.copyOf(check.path("typed").asText().getBytes(StandardCharsets.UTF_8)),
                    check.path("unixSeconds").asLong(), used::contains);
            String got = result.result().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + (result.accepted() ? " " + result.step() : "");
            String want = check.path("result").asText() + (check.has("step") ? " " + check.path("step").asLong() : "");
            results.add(check.path("result").asText());
            if (!want.equals(got)) {
                failures.add(check.path("id").asText() + ": expected " + want + ", got " + got);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(Set.of("accepted", "rejected", "no-data-for-this-time"), results);
    }

    @Test
    void agentSide_acceptsAndRefusesBundlesAsFrozen() {
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (JsonNode c : KnownAnswers.load(FILE).file().path("bundleParsing")) {
            boolean accepted;
            try {
                OfflineBundle bundle = OfflineBundle.parse(c.path("bundle").asText());
                accepted = true;
                if (bundle.firstStep() != c.path("firstStep").asLong() || bundle.endStep() != c.path("endStep").asLong()) {
                    failures.add(c.path("id").asText() + ": other steps");
                }
            } catch (MalformedMessageException e) {
                accepted = false;
                refused++;
                assertTrue(!e.getMessage().contains("alice"), "a refusal never quotes the bundle");
            }
            if (accepted != c.path("accepted").asBoolean()) {
                failures.add(c.path("id").asText() + ": expected " + (c.path("accepted").asBoolean() ? "accepted" : "refused"));
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(refused >= 20, "the file holds the refusals");
        assertThrows(MalformedMessageException.class, () -> OfflineBundle.parse("{"));
    }
}
