package org.countersign.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;

/**
 * Wrote docs/protocol-vectors/offline-data.json once, on 2026-12-06. Kept to show how the frozen
 * vectors were made, not to be run again: {@link OfflineDataVectorsTest} checks the code against the
 * file, and regenerating would hide exactly the change that test exists to catch. Inputs come from
 * SHA-256 of fixed labels, as in {@link OfflineActivationVectorGenerator}. Run:
 * {@code java ... OfflineDataVectorGenerator <output file>}.
 */
final class OfflineDataVectorGenerator {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OfflineDataVectorGenerator() {
    }

    private record Case(String id, String userId, String agentId, String serialNumber, String otp, String pin, long firstStep,
                        int steps, int iterations) {
    }

    public static void main(String[] args) throws IOException {
        List<Case> cases = List.of(
                new Case("default-policy", "alice", "laptop-0001", "DEMO-0001", "totp:sha1:6:30", "246813", 59_000_000L, 6,
                        100_000),
                new Case("sha256-8-digits-60s", "bob@bank.example", "a0c2e4f6-1b3d-4f5a-8c7e-9d0b2a4c6e8f", "CS-8D-0002",
                        "totp:sha256:8:60", "04711923", 29_500_000L, 5, 600_000),
                new Case("sha512-7-digits-letters-pin", "carol", "WS-FIN-17", "TOKEN-3", "totp:sha512:7:30", "Tr0ub4dor&3",
                        0L, 4, 100_001),
                new Case("non-ascii-user-and-pin", "Jürgen Groß 🙂", "agent-4", "SN-4", "totp:sha1:6:30", "pässwörd1",
                        61_234_567L, 3, 120_000),
                new Case("longest-agent-id", "dave", "A-".repeat(32), "S".repeat(64), "totp:sha1:6:1", "999999", 1_765_000_000L,
                        8, 100_000));
        ObjectNode file = JSON.createObjectNode();
        file.put("source", "Countersign libs/protocol, generated once on 2026-12-06 and frozen; see README.md");
        file.put("spec", "docs/protocol.md, sections Notation, Keys derived from the instance secret, Offline authentication data");
        ArrayNode vectors = file.putArray("vectors");
        for (Case c : cases) {
            vectors.add(vector(c));
        }
        file.set("agentChecks", agentChecks(cases.get(0), cases.get(3)));
        file.set("bundleParsing", bundleParsing(cases.get(0)));
        Files.writeString(Path.of(args[0]), JSON.writeValueAsString(file) + "\n");
    }

    private static OfflineBundle bundle(Case c) {
        InstanceKeys keys = InstanceKeys.of(Secret.copyOf(sha256(c.id() + "/IS")));
        OtpPolicy policy = OtpPolicy.parse(c.otp());
        return OfflineBundle.issue(c.userId(), c.agentId(), c.serialNumber(), policy, keys.otp(policy),
                Secret.copyOf(c.pin().getBytes(StandardCharsets.UTF_8)), c.firstStep(), c.steps(), c.iterations(), salt(c));
    }

    private static byte[] salt(Case c) {
        return Arrays.copyOf(sha256(c.id() + "/salt"), OfflineBundle.SALT_LENGTH);
    }

    private static ObjectNode vector(Case c) {
        Secret is = Secret.copyOf(sha256(c.id() + "/IS"));
        OtpPolicy policy = OtpPolicy.parse(c.otp());
        Secret otpKey = InstanceKeys.of(is).otp(policy);
        Secret pin = Secret.copyOf(c.pin().getBytes(StandardCharsets.UTF_8));
        Secret offlineKey = OfflineKey.derive(pin, salt(c), c.iterations());
        OfflineBundle bundle = bundle(c);

        ObjectNode v = JSON.createObjectNode();
        v.put("id", c.id());
        ObjectNode in = v.putObject("input");
        in.put("is", HEX.formatHex(is.reveal()));
        in.put("userId", c.userId());
        in.put("agentId", c.agentId());
        in.put("serialNumber", c.serialNumber());
        in.put("otp", c.otp());
        in.put("pin", c.pin());
        in.put("salt", HEX.formatHex(salt(c)));
        in.put("iterations", c.iterations());
        in.put("firstStep", c.firstStep());
        in.put("steps", c.steps());
        ObjectNode out = v.putObject("output");
        out.put("kOtp", HEX.formatHex(otpKey.reveal()));
        out.put("pinLength", bundle.pinLength());
        out.put("kOff", HEX.formatHex(offlineKey.reveal()));
        ArrayNode steps = out.putArray("steps");
        for (long t = c.firstStep(); t < c.firstStep() + c.steps(); t++) {
            String code = Otp.at(policy, otpKey, t);
            ObjectNode step = steps.addObject();
            step.put("t", t);
            step.put("otp", code);
            step.put("message", OfflineBundle.TAG_LABEL + "|" + c.agentId() + "|" + t + "|" + code);
            step.put("tag", HEX.formatHex(OfflineBundle.tag(offlineKey, c.agentId(), t, code)));
        }
        out.put("tags", Base64Url.encode(bundle.tags()));
        out.put("bundle", bundle.toJson());
        return v;
    }

    /** What an agent makes of typed input at a time, with some steps already used. */
    private static ArrayNode agentChecks(Case ascii, Case unicode) {
        ArrayNode checks = JSON.createArrayNode();
        OfflineBundle b = bundle(ascii);
        long period = b.otp().periodSeconds();
        Secret otpKey = InstanceKeys.of(Secret.copyOf(sha256(ascii.id() + "/IS"))).otp(b.otp());
        long t = b.firstStep() + 2;
        String pin = ascii.pin();
        check(checks, "current-step", ascii, b, pin + Otp.at(b.otp(), otpKey, t), t * period + 7, Set.of());
        check(checks, "step-before", ascii, b, pin + Otp.at(b.otp(), otpKey, t - 1), t * period + 7, Set.of());
        check(checks, "step-after", ascii, b, pin + Otp.at(b.otp(), otpKey, t + 1), t * period + 29, Set.of());
        check(checks, "two-steps-before", ascii, b, pin + Otp.at(b.otp(), otpKey, t - 2), t * period, Set.of());
        check(checks, "wrong-pin", ascii, b, "246814" + Otp.at(b.otp(), otpKey, t), t * period, Set.of());
        check(checks, "wrong-otp", ascii, b, pin + wrong(Otp.at(b.otp(), otpKey, t)), t * period, Set.of());
        check(checks, "current-step-used", ascii, b, pin + Otp.at(b.otp(), otpKey, t), t * period, Set.of(t));
        check(checks, "used-step-skipped-for-the-next", ascii, b, pin + Otp.at(b.otp(), otpKey, t + 1), t * period, Set.of(t));
        check(checks, "otp-alone", ascii, b, Otp.at(b.otp(), otpKey, t), t * period, Set.of());
        check(checks, "pin-too-long", ascii, b, "9" + pin + Otp.at(b.otp(), otpKey, t), t * period, Set.of());
        check(checks, "otp-not-digits", ascii, b, pin + "12345a", t * period, Set.of());
        check(checks, "first-step-at-its-start", ascii, b, pin + Otp.at(b.otp(), otpKey, b.firstStep()),
                b.firstStep() * period, Set.of());
        check(checks, "step-before-the-first", ascii, b, pin + Otp.at(b.otp(), otpKey, b.firstStep() - 1),
                b.firstStep() * period, Set.of());
        check(checks, "last-step-from-after-the-end", ascii, b, pin + Otp.at(b.otp(), otpKey, b.endStep() - 1),
                b.endStep() * period, Set.of());
        check(checks, "after-the-data", ascii, b, pin + Otp.at(b.otp(), otpKey, b.endStep() + 1),
                (b.endStep() + 1) * period, Set.of());
        check(checks, "before-the-data", ascii, b, pin + Otp.at(b.otp(), otpKey, b.firstStep() - 2),
                (b.firstStep() - 2) * period, Set.of());
        OfflineBundle u = bundle(unicode);
        Secret unicodeKey = InstanceKeys.of(Secret.copyOf(sha256(unicode.id() + "/IS"))).otp(u.otp());
        long tu = u.firstStep() + 1;
        check(checks, "non-ascii-pin-by-characters", unicode, u, unicode.pin() + Otp.at(u.otp(), unicodeKey, tu),
                tu * u.otp().periodSeconds(), Set.of());
        return checks;
    }

    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (char) (last == '9' ? '0' : last + 1);
    }

    private static void check(ArrayNode checks, String id, Case c, OfflineBundle bundle, String typed, long unixSeconds,
                              Set<Long> used) {
        OfflineCheck result = bundle.check(Secret.copyOf(typed.getBytes(StandardCharsets.UTF_8)), unixSeconds, used::contains);
        ObjectNode check = checks.addObject();
        check.put("id", id);
        check.put("vector", c.id());
        check.put("typed", typed);
        check.put("unixSeconds", unixSeconds);
        ArrayNode usedSteps = check.putArray("usedSteps");
        used.forEach(usedSteps::add);
        check.put("result", result.result().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (result.accepted()) {
            check.put("step", result.step());
        }
    }

    /** Bundles as an agent reads them: accepted, or refused. */
    private static ArrayNode bundleParsing(Case c) {
        ArrayNode cases = JSON.createArrayNode();
        String good = bundle(c).toJson();
        parse(cases, "as-written", good);
        parse(cases, "members-reordered-with-white-space", "{\n  \"tags\": " + member(good, "tags") + ",\n  \"v\": 1,"
                + good.substring(good.indexOf("\"userId\""), good.indexOf(",\"tags\"")) + "\r\n}");
        parse(cases, "unknown-member-ignored", good.replace("{\"v\":1,", "{\"v\":1,\"validUntil\":\"2026-01-01T00:00:00Z\","));
        parse(cases, "escaped-strings", good.replace("\"alice\"", "\"\\u0061lice\""));
        parse(cases, "iterations-99999", good.replace("\"iterations\":100000", "\"iterations\":99999"));
        parse(cases, "iterations-over-ten-million", good.replace("\"iterations\":100000", "\"iterations\":10000001"));
        parse(cases, "iterations-with-exponent", good.replace("\"iterations\":100000", "\"iterations\":1e5"));
        parse(cases, "iterations-with-fraction", good.replace("\"iterations\":100000", "\"iterations\":100000.0"));
        parse(cases, "iterations-as-string", good.replace("\"iterations\":100000", "\"iterations\":\"100000\""));
        parse(cases, "iterations-missing", good.replace("\"iterations\":100000,", ""));
        parse(cases, "version-2", good.replace("{\"v\":1,", "{\"v\":2,"));
        parse(cases, "hotp-policy", good.replace("totp:sha1:6:30", "hotp:sha1:6"));
        parse(cases, "policy-upper-case", good.replace("totp:sha1:6:30", "TOTP:SHA1:6:30"));
        parse(cases, "pin-length-0", good.replace("\"pinLength\":6", "\"pinLength\":0"));
        parse(cases, "pin-length-65", good.replace("\"pinLength\":6", "\"pinLength\":65"));
        parse(cases, "negative-first-step", good.replace("\"firstStep\":59000000", "\"firstStep\":-1"));
        parse(cases, "salt-15-bytes", good.replace(member(good, "salt"), "\"" + Base64Url.encode(new byte[15]) + "\""));
        parse(cases, "salt-padded", good.replace(member(good, "salt"), "\"" + Base64Url.encode(new byte[16]) + "==\""));
        String tags = Base64Url.encode(bundle(c).tags());
        parse(cases, "tags-one-byte-short", good.replace(tags, Base64Url.encode(Arrays.copyOf(bundle(c).tags(), 47))));
        parse(cases, "tags-empty", good.replace(tags, ""));
        parse(cases, "tags-standard-base64", good.replace(tags, java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(bundle(c).tags())));
        parse(cases, "agent-id-with-bar", good.replace("laptop-0001", "laptop|0001"));
        parse(cases, "empty-user-id", good.replace("\"alice\"", "\"\""));
        parse(cases, "duplicate-member", good.replace("{\"v\":1,", "{\"v\":1,\"v\":1,"));
        parse(cases, "not-an-object", "[" + good + "]");
        return cases;
    }

    private static String member(String json, String name) {
        int start = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = json.indexOf('"', start + 1) + 1;
        return json.substring(start, end);
    }

    private static void parse(ArrayNode cases, String id, String json) {
        ObjectNode node = cases.addObject();
        node.put("id", id);
        node.put("bundle", json);
        try {
            OfflineBundle parsed = OfflineBundle.parse(json);
            node.put("accepted", true);
            node.put("firstStep", parsed.firstStep());
            node.put("endStep", parsed.endStep());
        } catch (MalformedMessageException e) {
            node.put("accepted", false);
        }
    }

    private static byte[] sha256(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
