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
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Luhn;
import org.countersign.secrets.Secret;

/**
 * Wrote docs/protocol-vectors/offline-activation.json once, on 2026-11-23. It is kept to show how
 * the frozen vectors were made, not to be run again: {@link OfflineActivationVectorsTest} checks
 * the code against the file, and regenerating would hide exactly the change that test exists to
 * catch. The inputs come from SHA-256 of fixed labels so that anyone can see they were not chosen
 * to flatter the code. Run: {@code java ... OfflineActivationVectorGenerator <output file>}.
 */
final class OfflineActivationVectorGenerator {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OfflineActivationVectorGenerator() {
    }

    public static void main(String[] args) throws IOException {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", "Countersign libs/protocol, generated once on 2026-11-23 and frozen; see README.md");
        file.put("spec", "docs/protocol.md, sections Notation, Keys derived from the instance secret, Offline activation");
        ArrayNode vectors = file.putArray("vectors");
        vectors.add(activation("default-policy", "reg-0001", "inst-0001", "CS0000001", "totp:sha1:6:30", null,
                "Example Bank", "alice@example.com"));
        vectors.add(activation("dn-all-zero", "R", "I", "S", "hotp:sha256:8",
                new byte[5], null, null));
        vectors.add(activation("dn-all-ones-largest-code", "0b3e7a6c-5d2f-4e1a-9c8b-7a6f5e4d3c2b", "9f8e7d6c-5b4a-4321-8fed-cba987654321",
                "SN-2026-000042", "totp:sha512:8:60", HEX.parseHex("ffffffffff"), "Ünïcødé & Co + Partners / 100%", "bob+test@example.org"));
        vectors.add(activation("longest-ids", "r".repeat(64), "I-".repeat(32), "9".repeat(64), "totp:sha256:7:45",
                HEX.parseHex("0000000100"), null, "carol"));
        vectors.add(activation("hotp-sha1-leading-zero-code", "reg-0005", "inst-0005", "CS0000005", "hotp:sha1:6",
                HEX.parseHex("0012345678"), "Issuer", null));
        file.set("luhn", luhn());
        file.set("dt", dt());
        file.set("deviceCodeParsing", deviceCodeParsing());
        Files.writeString(Path.of(args[0]), JSON.writeValueAsString(file) + "\n");
    }

    private static ObjectNode activation(String id, String rid, String iid, String sn, String otpText, byte[] fixedDn,
                                         String issuer, String account) {
        Secret ap = Secret.copyOf(Arrays.copyOf(sha256(id + "/AP"), 20));
        Secret is = Secret.copyOf(sha256(id + "/IS"));
        byte[] dn = fixedDn != null ? fixedDn : Arrays.copyOf(sha256(id + "/dn"), 5);
        byte[] nonce = Arrays.copyOf(sha256(id + "/nonce"), 12);
        OtpPolicy otp = OtpPolicy.parse(otpText);
        DeviceCode dc = DeviceCode.ofDn(dn);
        InstanceKeys keys = InstanceKeys.of(is);
        ActivationMessage2 am2 = ActivationMessage2.seal(ap, dc, rid, iid, sn, otp, is, nonce);

        ObjectNode v = JSON.createObjectNode();
        v.put("id", id);
        ObjectNode in = v.putObject("input");
        in.put("ap", HEX.formatHex(ap.reveal()));
        in.put("apBase32", Base32.encode(ap.reveal()));
        in.put("dn", HEX.formatHex(dn));
        in.put("rid", rid);
        in.put("iid", iid);
        in.put("sn", sn);
        in.put("otp", otpText);
        in.put("is", HEX.formatHex(is.reveal()));
        in.put("nonce", HEX.formatHex(nonce));
        if (issuer != null) {
            in.put("iss", issuer);
        }
        if (account != null) {
            in.put("acct", account);
        }
        ObjectNode out = v.putObject("output");
        out.put("am1Uri", ProtocolUris.activationMessage1(sn, rid, ap, issuer, account));
        out.put("n", dnValue(dn));
        out.put("dc", dc.digits());
        out.put("dcDisplay", dc.display());
        out.put("kAct", HEX.formatHex(ActivationKey.derive(ap, dc, rid, iid, sn).reveal()));
        out.put("aad", new String(ActivationMessage2.aad(rid, iid, sn, otp), StandardCharsets.UTF_8));
        out.put("c", HEX.formatHex(am2.ciphertext()));
        out.put("cBase64url", Base64Url.encode(am2.ciphertext()));
        out.put("am2Uri", am2.toUri());
        out.put("kProof", HEX.formatHex(keys.proof().reveal()));
        out.put("kOtp", HEX.formatHex(keys.otp(otp).reveal()));
        out.put("kSign", HEX.formatHex(keys.sign().reveal()));
        out.put("kTx", HEX.formatHex(keys.tx().reveal()));
        out.put("signatureMessage", "countersign/v1/activate|" + rid + "|" + iid + "|" + dc.digits());
        out.put("sig", ActivationSignature.compute(keys, rid, iid, dc));
        return v;
    }

    private static ArrayNode luhn() {
        ArrayNode cases = JSON.createArrayNode();
        String[] payloads = {"7992739871", "0000000000000", "1099511627775", "0000000000001", "0000000000018",
                "0000000065536", "1234567890123", "0987654321098", "5555555555555", "0000000004660"};
        for (int i = 0; i < payloads.length; i++) {
            ObjectNode c = cases.addObject();
            c.put("id", "luhn-" + (i + 1));
            c.put("payload", payloads[i]);
            c.put("checkDigit", String.valueOf(Luhn.checkDigit(payloads[i])));
        }
        return cases;
    }

    private static ArrayNode dt() {
        ArrayNode cases = JSON.createArrayNode();
        // RFC 4226 section 5.4's worked example, then SHA-256-sized outputs reaching offsets 0 and 15.
        addDt(cases, "rfc4226-5.4-6", "1f8698690e02ca16618550ef7f19da8e945b555a", 6);
        addDt(cases, "rfc4226-5.4-8", "1f8698690e02ca16618550ef7f19da8e945b555a", 8);
        for (int i = 1; i <= 6; i++) {
            byte[] h = sha256("dt/" + i);
            if (i == 1) {
                h[31] = (byte) (h[31] & 0xF0);
            }
            if (i == 2) {
                h[31] = (byte) (h[31] | 0x0F);
            }
            addDt(cases, "sha256-" + i + "-8", HEX.formatHex(h), 8);
            addDt(cases, "sha256-" + i + "-6", HEX.formatHex(h), 6);
        }
        // A leading zero that must survive: found by search over labels.
        for (int i = 0; ; i++) {
            byte[] h = sha256("dt-zero/" + i);
            if (Truncation.dt(h, 8).startsWith("00")) {
                addDt(cases, "leading-zeros", HEX.formatHex(h), 8);
                break;
            }
        }
        return cases;
    }

    private static void addDt(ArrayNode cases, String id, String hmacHex, int digits) {
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("hmac", hmacHex);
        c.put("digits", digits);
        c.put("dt", Truncation.dt(HEX.parseHex(hmacHex), digits));
    }

    private static ArrayNode deviceCodeParsing() {
        ArrayNode cases = JSON.createArrayNode();
        String good = DeviceCode.ofDn(HEX.parseHex("0102030405")).digits();
        String display = DeviceCode.ofDn(HEX.parseHex("0102030405")).display();
        addParse(cases, "plain", good);
        addParse(cases, "display-form", display);
        addParse(cases, "spaces-anywhere", " " + good.substring(0, 3) + "  " + good.substring(3) + " ");
        addParse(cases, "largest", DeviceCode.ofDn(HEX.parseHex("ffffffffff")).digits());
        addParse(cases, "smallest", "00000000000000");
        addParse(cases, "tab", good.substring(0, 4) + "\t" + good.substring(4));
        addParse(cases, "no-break-space", good.substring(0, 4) + "\u00a0" + good.substring(4));
        addParse(cases, "dash", good.substring(0, 4) + "-" + good.substring(4));
        addParse(cases, "letter", "O" + good.substring(1));
        addParse(cases, "fullwidth-digit", "\uff10" + good.substring(1));
        addParse(cases, "arabic-indic-digit", "\u0660" + good.substring(1));
        addParse(cases, "empty", "");
        addParse(cases, "only-spaces", "    ");
        addParse(cases, "thirteen-digits", good.substring(0, 13));
        addParse(cases, "fifteen-digits", good + "0");
        addParse(cases, "wrong-check-digit", good.substring(0, 13) + (char) ('0' + (good.charAt(13) - '0' + 1) % 10));
        addParse(cases, "swapped-digits", good.substring(0, 9) + good.charAt(10) + good.charAt(9) + good.substring(11));
        addParse(cases, "two-to-the-forty", "1099511627776" + Luhn.checkDigit("1099511627776"));
        addParse(cases, "all-nines", "9999999999999" + Luhn.checkDigit("9999999999999"));
        return cases;
    }

    private static void addParse(ArrayNode cases, String id, String typed) {
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("typed", typed);
        try {
            DeviceCode dc = DeviceCode.parse(typed);
            c.put("dn", HEX.formatHex(dc.dn()));
            c.put("dc", dc.digits());
        } catch (MalformedDeviceCodeException e) {
            c.put("refused", e.reason().name());
        }
    }

    private static String dnValue(byte[] dn) {
        long n = 0;
        for (byte b : dn) {
            n = n << 8 | (b & 0xFF);
        }
        return Long.toString(n);
    }

    /** SHA-256 of {@code countersign/vectors/<label>}: every generator's inputs come from here. */
    static byte[] sha256(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("countersign/vectors/" + label).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
